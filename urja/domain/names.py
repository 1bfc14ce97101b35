"""A spelling-tolerant key for people's and places' names, so that staff find "Ramesh" when the
record says "Rammesh", "Ramess" or "Rameesh", and "सुरेश" when it says "सूरेश".

The key is a skeleton: lower case, aspirates folded (bh → b, sh → s), vowels and vowel signs dropped,
doubled letters collapsed, the letters people mix up made one (v/w, z/j, q/k, ब/व, श/ष/स, ण/न).
It is a sequence of plain text replacements (`LATIN_STEPS`, `DEVANAGARI_STEPS`), so the database computes the same key
over a whole office's consumers in one query (`urja.customers.selectors`), with no per-row Python.
`name_key()` applies the same steps to what the user typed.
"""

from __future__ import annotations

# Each list stays short: the database nests one REPLACE per step, and SQLite's parser refuses more
# than about 30 levels.
_LATIN_FOLD = (
    (".", " "),
    ("w", "v"),
    ("z", "j"),
    ("q", "k"),
    ("c", "k"),
    ("h", ""),  # aspirates: bh → b, sh → s, th → t …
    ("y", ""),
)
_LATIN_VOWELS = ("a", "e", "i", "o", "u")
_LATIN_DOUBLED = tuple("bdgklmnprst")
# Devanagari: vowel signs, nasalisation, the nukta and the virama carry the spelling errors; letters
# people exchange become one.
_DEVANAGARI_DROP = tuple("ािीुूृेैोौंँ़्")
_DEVANAGARI_FOLD = (("आ", "अ"), ("ई", "इ"), ("ऊ", "उ"), ("श", "स"), ("ष", "स"), ("ण", "न"), ("व", "ब"))

#: The replacements for names in Latin letters, in order, after lower-casing: (old, new).
LATIN_STEPS: tuple[tuple[str, str], ...] = (
    _LATIN_FOLD
    + tuple((vowel, "") for vowel in _LATIN_VOWELS)
    + tuple((letter * 2, letter) for letter in _LATIN_DOUBLED)
)
#: The replacements for names in Devanagari, in order.
DEVANAGARI_STEPS: tuple[tuple[str, str], ...] = (
    ((".", " "),) + tuple((sign, "") for sign in _DEVANAGARI_DROP) + _DEVANAGARI_FOLD
)

#: A key at least this long tolerates one letter more, less or different; shorter keys must match.
FUZZY_MIN = 4


def is_devanagari(text: str) -> bool:
    return any("\u0900" <= ch <= "\u097f" for ch in text)


def name_key(text: str) -> str:
    """The key of `text` (a name, a village, or one word of a search); spaces are kept."""
    key = text.lower()
    for old, new in DEVANAGARI_STEPS if is_devanagari(text) else LATIN_STEPS:
        key = key.replace(old, new)
    return key


def search_words(text: str) -> list[str]:
    """The keys of the words of a search, dropping the ones whose key is empty."""
    return [key for key in (name_key(word) for word in text.split()) if key.strip()]


def near_patterns(key: str) -> list[str]:
    """SQL LIKE patterns (``%`` any run, ``_`` one letter) for a name key with a word that starts with
    `key`, or — when `key` is at least `FUZZY_MIN` long — with it and one letter more, less or
    different. The name's key is matched with a space in front (`spaced`), so the patterns begin at a
    word."""
    variants = [key]
    if len(key) >= FUZZY_MIN:
        for i in range(len(key)):
            variants.append(f"{key[:i]}_{key[i + 1 :]}")  # one letter different
            variants.append(f"{key[:i]}{key[i + 1 :]}")  # the name lacks one
        for i in range(1, len(key)):
            variants.append(f"{key[:i]}_{key[i:]}")  # the name has one more
    return [f"% {variant}%" for variant in dict.fromkeys(variants)]


def spaced(key: str) -> str:
    """The key as the patterns of `near_patterns` read it."""
    return f" {key}"
