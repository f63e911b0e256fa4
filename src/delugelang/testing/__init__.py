"""`dg test`: unit tests for Deluge functions, written as `*.test.json` files beside them.

    from delugelang.testing import discover, load_test_file, run_file
"""

from .runner import CaseResult, FileResult, run_case, run_file
from .spec import SpecError, TestFile, load_test_file
from .discovery import discover

__all__ = ["CaseResult", "FileResult", "SpecError", "TestFile", "discover", "load_test_file",
           "run_case", "run_file"]
