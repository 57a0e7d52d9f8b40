"""Who may do what on a sollicitation: one abilities dict, for its pages."""

from .models import Side, Status, SupportRequest


def request_abilities(request: SupportRequest, side: str) -> dict[str, bool]:
    closed = request.status == Status.CLOSED
    return {
        "reply": not closed,
        "close": not closed,
        "reopen": closed,
        "assign": side == Side.RECIPIENT and not closed,
    }
