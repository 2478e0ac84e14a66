"""XLSForm survey definitions for gemeinsinn: reading and checking a form
(``check_xlsform``, ``read_xlsform``), the expressions of skip logic and checks
(``parse_expression``), and checking one response against a form (``validate_response``).

Pure Python: pyxform and openpyxl, no Django.
"""

from gemeinsinn.formats.xlsform.expressions import (
    Context,
    Expression,
    ExpressionError,
    parse_expression,
)
from gemeinsinn.formats.xlsform.model import (
    Choice,
    ChoiceList,
    Group,
    Item,
    Question,
    SurveyDefinition,
    language_code,
    translate,
)
from gemeinsinn.formats.xlsform.problems import FormProblem
from gemeinsinn.formats.xlsform.reader import FormCheck, check_xlsform, read_xlsform
from gemeinsinn.formats.xlsform.responses import (
    AnswerProblem,
    ResponseCheck,
    interpolate,
    validate_response,
)

__all__ = [
    "AnswerProblem",
    "ResponseCheck",
    "interpolate",
    "validate_response",
    "Choice",
    "ChoiceList",
    "Context",
    "Expression",
    "ExpressionError",
    "FormCheck",
    "FormProblem",
    "Group",
    "Item",
    "Question",
    "SurveyDefinition",
    "check_xlsform",
    "language_code",
    "parse_expression",
    "read_xlsform",
    "translate",
]
