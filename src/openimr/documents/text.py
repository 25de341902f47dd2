"""Plain-text decoding and the character clean-up every extracted text needs."""

from __future__ import annotations

import codecs
import re

from openimr.errors import UnsupportedEncoding

# Characters PDF extraction leaves behind that carry no meaning for us.
_INVISIBLE = dict.fromkeys(map(ord, "\ufffe\ufeff\u00ad\u200b\u200c\u200d\u2060"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2002\u2003\u2009\u202f\t"), " ")
_QUOTES = {ord("\u2018"): "'", ord("\u2019"): "'", ord("\u201c"): '"', ord("\u201d"): '"'}
_DASHES = {ord("\u2013"): "-", ord("\u2014"): "-", ord("\u2010"): "-", ord("\u2011"): "-"}
_TRANSLATION = {**_INVISIBLE, **_SPACES, **_QUOTES, **_DASHES}
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c]")


_SPLIT_WORD = re.compile(r"[\u00ad\ufffe][ \t]*\n[ \t]*")


def normalize_extracted_text(text: str) -> str:
    """Unify line breaks, drop invisible characters, map typographic quotes and dashes.

    Runs of spaces are kept on purpose: in published letters they mark redactions.
    """
    text = _LINE_BREAKS.sub("\n", text)
    # A soft hyphen or U+FFFE at a line end marks a word split across lines: rejoin it.
    text = _SPLIT_WORD.sub("", text)
    return text.translate(_TRANSLATION)


def decode_text(data: bytes) -> str:
    """Decode a text file whose encoding nobody told us.

    UTF-8 (with or without BOM) and UTF-16/32 with a BOM are decoded as such; anything else
    that is valid Windows-1252 is read as that (the usual source of "wrong encoding" letters).
    Binary data raises UnsupportedEncoding instead of returning mojibake.
    """
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise UnsupportedEncoding(f"invalid {codec} text: {exc.reason}") from None
    if b"\x00" in data:
        raise UnsupportedEncoding("binary data (NUL bytes) where text was expected")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise UnsupportedEncoding("text is neither UTF-8 nor Windows-1252") from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\r\n\t\f")
    if controls > max(8, len(text) // 100):
        raise UnsupportedEncoding("binary data where text was expected")
    return text
