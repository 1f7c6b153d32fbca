import pytest

# The shared assertions live in support.py: let pytest explain their failures too.
pytest.register_assert_rewrite("tests.support")
