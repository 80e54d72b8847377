import pytest

# The fault matrix's helpers assert on behalf of the tests: rewrite their asserts as a test's are, so a
# failure shows the values compared. Must run before the module is first imported (by conftest.py).
pytest.register_assert_rewrite("tests.e2e.fault_helpers")
