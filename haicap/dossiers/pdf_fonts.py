"""Fonts for printing (no Django): ones that carry Vietnamese, and text marked up run by run.

Times New Roman where installed, else Liberation Serif (the same metrics), else DejaVu Serif; all
three carry every Vietnamese letter. A machine with none of them gets a clear error. Text in
another script (a name in Chinese, Persian, Khmer, ...) is drawn run by run in the first fallback
font that has its characters: Debian's Noto fonts and a TrueType CJK font, then any other Noto
font installed. Arabic-script text is shaped and put in visual order before printing, since
reportlab draws characters one by one from left to right.
"""

import logging
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

import arabic_reshaper
from bidi import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont, TTFontFile

from haicap.core.characters import printable
from haicap.dossiers.font_runs import split_runs

# Under printing's name, where operators have always found what a printed form could not draw.
logger = logging.getLogger("haicap.dossiers.pdf")

# (regular, bold, italic, bold italic); a family without the italic faces slants nothing.
FONT_CANDIDATES = (
    (
        "/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman.ttf",
        "/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman_Bold.ttf",
        "/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman_Italic.ttf",
        "/usr/share/fonts/truetype/msttcorefonts/Times_New_Roman_Bold_Italic.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Bold.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-Italic.ttf",
        "/usr/share/fonts/truetype/liberation2/LiberationSerif-BoldItalic.ttf",
    ),
    (
        "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSerif-Italic.ttf",
        "/usr/share/fonts/truetype/liberation/LiberationSerif-BoldItalic.ttf",
    ),
    (
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf",
        "/usr/share/fonts/truetype/dejavu/DejaVuSerif-BoldItalic.ttf",
    ),
)


class FontMissing(RuntimeError):
    pass


# Letters a font must draw to print Vietnamese (older Liberation releases lack most of them).
VIETNAMESE_SAMPLE = "ẮẰẲẴẶẤẦẨẪẬĐƠỚỜỞỠỢƯỨỪỬỮỰỦỸỴăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"


def _covers_vietnamese(font: TTFont) -> bool:
    glyphs = font.face.charToGlyph
    return all(ord(ch) in glyphs for ch in VIETNAMESE_SAMPLE)


@lru_cache(maxsize=1)
def font_names() -> tuple[str, str]:
    """Register the first serif font present that draws Vietnamese; returns (regular, bold).

    Its italic faces are registered too when present, for ``<i>`` inside a paragraph.
    """
    for regular, bold, italic, bold_italic in FONT_CANDIDATES:
        if not (Path(regular).exists() and Path(bold).exists()):
            continue
        family = Path(regular).parent.name + Path(regular).stem.split("-")[0].replace("_", "")
        regular_font, bold_font = TTFont(family, regular), TTFont(f"{family}-Bold", bold)
        if _covers_vietnamese(regular_font) and _covers_vietnamese(bold_font):
            pdfmetrics.registerFont(regular_font)
            pdfmetrics.registerFont(bold_font)
            italic_name = _register_face(f"{family}-Italic", italic) or family
            bold_italic_name = (
                _register_face(f"{family}-BoldItalic", bold_italic) or f"{family}-Bold"
            )
            # so that <b> and <i> inside a paragraph pick the bold and italic faces
            pdfmetrics.registerFontFamily(
                family,
                normal=family,
                bold=f"{family}-Bold",
                italic=italic_name,
                boldItalic=bold_italic_name,
            )
            return family, f"{family}-Bold"
    raise FontMissing(
        "no serif font with Vietnamese letters: install fonts-liberation2 or fonts-dejavu-core"
    )


def _register_face(name: str, path: str) -> str:
    """Register an optional face that draws Vietnamese under ``name``; "" when it cannot."""
    if not Path(path).exists():
        return ""
    font = TTFont(name, path)
    if not _covers_vietnamese(font):
        return ""
    pdfmetrics.registerFont(font)
    return name


NOTO = "/usr/share/fonts/truetype/noto"
# (family, regular, bold or "" where the font has no bold face), by script, tried in this order.
FALLBACK_FONTS = (
    ("NotoSerif", f"{NOTO}/NotoSerif-Regular.ttf", f"{NOTO}/NotoSerif-Bold.ttf"),
    ("NotoNaskhArabic", f"{NOTO}/NotoNaskhArabic-Regular.ttf", f"{NOTO}/NotoNaskhArabic-Bold.ttf"),
    ("NotoSerifKhmer", f"{NOTO}/NotoSerifKhmer-Regular.ttf", f"{NOTO}/NotoSerifKhmer-Bold.ttf"),
    # Noto's CJK fonts are OpenType/CFF, which reportlab cannot embed: AR PL UMing (Ming, a serif
    # style) first, then Droid Sans Fallback, which has a few thousand ideographs more.
    ("ARPLUMing", "/usr/share/fonts/truetype/arphic/uming.ttc", ""),
    ("DroidSansFallback", "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", ""),
)
REPLACEMENT = "\ufffd"
_extending = threading.Lock()


def _register(family: str, regular: str, bold: str) -> dict[int, int]:
    """Register a font family (bold falls back to regular); returns its character map."""
    regular_font = TTFont(family, regular)
    pdfmetrics.registerFont(regular_font)
    bold_name = family
    if bold:
        bold_name = f"{family}-Bold"
        pdfmetrics.registerFont(TTFont(bold_name, bold))
    pdfmetrics.registerFontFamily(
        family, normal=family, bold=bold_name, italic=family, boldItalic=bold_name
    )
    return regular_font.face.charToGlyph


@lru_cache(maxsize=1)
def printing_fonts() -> list[tuple[str, dict[int, int]]]:
    """The fonts a form draws with, in order of preference, as (family, character map).

    The list grows when a character needs a Noto font not named above (see ``_add_noto_for``).
    """
    regular, _bold = font_names()
    fonts = [(regular, pdfmetrics.getFont(regular).face.charToGlyph)]
    for family, regular_path, bold_path in FALLBACK_FONTS:
        if Path(regular_path).exists():
            bold = bold_path if bold_path and Path(bold_path).exists() else ""
            fonts.append((family, _register(family, regular_path, bold)))
    return fonts


@lru_cache(maxsize=1)
def _noto_index() -> list[tuple[Path, frozenset[int]]]:
    """Every regular Noto TrueType font installed with its characters (read once, ~0.5 s).

    Serif faces first, to go with the form's serif type.
    """
    paths = sorted(Path(NOTO).glob("*-Regular.ttf"), key=lambda p: ("Serif" not in p.stem, p.stem))
    return [(path, frozenset(TTFontFile(str(path)).charToGlyph)) for path in paths]


def _add_noto_for(chars: set[str]) -> None:
    """Register the first installed Noto font for each of ``chars`` that no font draws yet."""
    with _extending:
        fonts = printing_fonts()
        known = {family for family, _ in fonts}
        for char in sorted(chars):
            if any(ord(char) in covered for _, covered in fonts):
                continue
            for path, covered in _noto_index():
                family = path.stem.removesuffix("-Regular")
                if ord(char) in covered and family not in known:
                    bold = path.with_name(f"{family}-Bold.ttf")
                    bold_path = str(bold) if bold.exists() else ""
                    fonts.append((family, _register(family, str(path), bold_path)))
                    known.add(family)
                    break


def _visual_order(text: str) -> str:
    """Arabic letters in their joined forms and right-to-left runs reversed, as drawn on a line."""
    if not any(unicodedata.bidirectional(char) in ("R", "AL") for char in text):
        return text
    shaped = _ARABIC_RESHAPER.reshape(text)
    return get_display(shaped, base_dir="L")


# Harakat (short-vowel marks) are part of a name as written: kept, not deleted.
_ARABIC_RESHAPER = arabic_reshaper.ArabicReshaper(configuration={"delete_harakat": False})


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def markup(text: str, bold: bool = False, italic: bool = False) -> str:
    """Paragraph markup that draws every character of ``text``, each run in a font that has it.

    ``bold``, ``italic``: the text is set in bold (a bold style or inside ``<b>``) or inside
    ``<i>``; a font tag would reset them.

    A character no installed font has is printed as U+FFFD (or "?") and logged by code point
    only, never with the text around it (it may be a name).
    """
    # A character no font draws and no reader expects (a control character stored in a name
    # before input refused them) is replaced first.
    visual = _visual_order(printable(text))
    runs = split_runs(visual, printing_fonts())
    missing = {char for run in runs if run.font is None for char in run.text}
    if missing:
        _add_noto_for(missing)
        runs = split_runs(visual, printing_fonts())
    primary = printing_fonts()[0][0]
    parts = []
    for run in runs:
        if run.font is None:
            logger.warning(
                "no installed font draws %s; printed a replacement character",
                ", ".join(f"U+{ord(char):04X}" for char in run.text),
            )
            parts.append(_replacement() * len(run.text))
        elif run.font == primary:
            parts.append(_escape(run.text))
        else:
            inner = f"<i>{_escape(run.text)}</i>" if italic else _escape(run.text)
            inner = f"<b>{inner}</b>" if bold else inner
            parts.append(f'<font face="{run.font}">{inner}</font>')
    return "".join(parts)


def _replacement() -> str:
    fonts = printing_fonts()
    (run,) = split_runs(REPLACEMENT, fonts)
    if run.font is None:
        return "?"
    if run.font == fonts[0][0]:
        return REPLACEMENT
    return f'<font face="{run.font}">{REPLACEMENT}</font>'
