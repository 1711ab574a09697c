-- The campaign that brought a lead, on its events (lead captured, deal won): the funnel's conversion per campaign.
ALTER TABLE events ADD COLUMN IF NOT EXISTS campaign String DEFAULT ''
