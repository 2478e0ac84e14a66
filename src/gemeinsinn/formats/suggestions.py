"""Suggest the known code a user probably meant: a lost leading zero, one typo, wrong case."""

from collections.abc import Collection

from gemeinsinn.formats.layouts import normalised


class Suggester:
    """Finds a known value close to a given text; built once per set of known values."""

    def __init__(self, known: Collection[str]):
        self.known = set(known)
        self.widths = sorted({len(value) for value in self.known})
        self.alphabet = sorted({char for value in self.known for char in value})
        self.loosely: dict[str, str] = {}
        for value in sorted(self.known):
            self.loosely.setdefault(normalised(value), value)

    def closest(self, text: str) -> str | None:
        """A known value close to ``text``, or None.

        Tried in order: leading zeros restored ("1100101" → "01100101"), the same text in
        other letter case or with other spaces, underscores, hyphens or dots ("s_1" → "S1"),
        one character replaced, missing, extra or swapped with its neighbour. Ties go to the
        smallest candidate, independent of set order.
        """
        if text.isdigit():
            for width in self.widths:
                if width > len(text) and text.zfill(width) in self.known:
                    return text.zfill(width)
        if normalised(text) in self.loosely:
            return self.loosely[normalised(text)]
        matches = sorted(self._one_edit_away(text) & self.known)
        return matches[0] if matches else None

    def _one_edit_away(self, text: str) -> set[str]:
        splits = [(text[:i], text[i:]) for i in range(len(text) + 1)]
        alphabet = self.alphabet
        deleted = {left + right[1:] for left, right in splits if right}
        swapped = {
            left + right[1] + right[0] + right[2:] for left, right in splits if len(right) > 1
        }
        replaced = {left + char + right[1:] for left, right in splits if right for char in alphabet}
        inserted = {left + char + right for left, right in splits for char in alphabet}
        return (deleted | swapped | replaced | inserted) - {text}
