"""Text made from the data, on a terminal: shown as it is, never obeyed.

Every table the command prints through rich takes its cells from :func:`cell`
(rich markup such as ``[bold]`` or ``[/x]`` in a label is text, not markup), and
every text made from the data goes through :func:`shown` (a control character,
such as the escape that starts a colour, a link or a screen clear, is written
as ``\\xNN``; tab and line feed stay).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.text import Text

CONTROL = re.compile("[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f]")
"""C0 controls but tab and line feed, DEL, and C1 controls."""


def shown(text: str) -> str:
    """``text`` with its control characters written as ``\\xNN``.

    >>> shown("Qingdao \\x1b]8;;http://e/\\x07 \\x1b[2J\\n")
    'Qingdao \\\\x1b]8;;http://e/\\\\x07 \\\\x1b[2J\\n'
    """
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def cell(text: object) -> Text:
    """A rich table cell (or title) holding ``text`` as it is: no markup, no controls.

    >>> cell("[/x] Qingdao [bold]").plain
    '[/x] Qingdao [bold]'
    """
    from rich.text import Text

    return Text(shown(str(text)))
