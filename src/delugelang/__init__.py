"""delugelang: a sandboxed engine for Deluge-style CRM custom functions.

    import delugelang
    program = delugelang.compile('info "Hello " + input.First_Name;')
    result = program.run(record={"First_Name": "Ada"})
    result.info   # ("Hello Ada",)
"""

from .errors import CheckError, DelugeError, LimitError, ParseError, Problem, ScriptError
from .limits import CREATOR, CRM, Limits, profile
from .program import Program, Result, Stats, check_source, compile
from .services import Services

__all__ = [
    "compile", "check_source", "Program", "Result", "Stats", "Limits", "CRM", "CREATOR",
    "profile", "Services", "DelugeError", "ParseError", "CheckError", "ScriptError",
    "LimitError", "Problem",
]
__version__ = "0.1.0"
