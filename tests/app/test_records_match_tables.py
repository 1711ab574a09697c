"""Each record the repositories hand the services has exactly its table's columns."""

import pytest
from hamcrest import assert_that, equal_to

from app.adapters.tables import metadata
from app.domain.records import RECORD_OF_TABLE


@pytest.mark.parametrize("table", sorted(RECORD_OF_TABLE))
def test_a_record_names_every_column_of_its_table_and_nothing_else(table):
    record = RECORD_OF_TABLE[table]
    assert_that(
        set(record.__annotations__),
        equal_to({column.name for column in metadata.tables[table].columns}),
        f"the {record.__name__} keys and the columns of {table}",
    )
