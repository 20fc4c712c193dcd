"""A Chinese font for the browser UI, served by the server itself (nothing is fetched).

Noto Sans CJK SC (installed with the package) is cut down to the Chinese
characters the pages can show: those of the graph, the shapes and the UI's
own words.  Characters outside it fall back to the reader's fonts.
"""

from __future__ import annotations

import io
import re

_CJK = re.compile("[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]")


def cjk_characters(text: str) -> str:
    """The distinct Chinese characters and punctuation of a text, sorted.

    >>> cjk_characters("青岛 Qingdao 青岛市，")
    '岛市青，'
    """
    return "".join(sorted(set(_CJK.findall(text))))


def cjk_subset(text: str) -> bytes:
    """WOFF bytes of Noto Sans CJK SC holding the Chinese characters of ``text`` (empty
    when the font package is missing)."""
    try:
        import noto_cjk_sans_otc
        from fontTools import subset
        from fontTools.ttLib import TTCollection
    except ImportError:  # pragma: no cover - the font is a dependency
        return b""
    path = str(noto_cjk_sans_otc.FONT_PATH)
    collection = TTCollection(path, lazy=True)
    index = next(
        (i for i, font in enumerate(collection.fonts)
         if font["name"].getDebugName(1) == "Noto Sans CJK SC"), 0,
    )  # fmt: skip
    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = ["*"]
    options.font_number = index
    font = subset.load_font(path, options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=cjk_characters(text) + "0123456789")
    subsetter.subset(font)
    buffer = io.BytesIO()
    subset.save_font(font, buffer, options)
    return buffer.getvalue()
