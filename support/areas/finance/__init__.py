"""Finance: reports (forecast, ageing, profit and loss) and the day's activity."""
