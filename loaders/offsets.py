"""A run-length map from the characters of a derived text to their offsets in the source.

Normalizing a document and composing its paragraphs copy the source mostly unchanged: long stretches
where character `i` of the derived text came from source offset `i + shift`. `OffsetMap` keeps one
`(start, shift)` segment per stretch instead of one integer per character, so building, copying and
slicing it cost O(segments), and a lookup is a bisect.

It reads like the list of per-character offsets it replaces: `m[i]`, `m[-1]`, `len(m)`, `bool(m)`,
iteration, `m[a:b]` (a list), and `==` against a list or another map. Segments are kept canonical
(no empty segment, no two neighbours with the same shift), so two maps of the same offsets are equal
segment for segment.
"""

from __future__ import annotations

from bisect import bisect_right


class OffsetMap:
    """Offsets `values[i] = i + shifts[k]` for `starts[k] <= i < starts[k + 1]` (or `< length` for the last)."""

    __slots__ = ("starts", "shifts", "length")

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.shifts: list[int] = []
        self.length = 0

    @classmethod
    def linear(cls, first: int, length: int) -> "OffsetMap":
        """The offsets first, first + 1, …, first + length - 1."""
        m = cls()
        m.append_run(first, length)
        return m

    @classmethod
    def from_list(cls, values) -> "OffsetMap":
        m = cls()
        for v in values:
            m.append_run(v, 1)
        return m

    # -- building ------------------------------------------------------------------------------
    def append_run(self, first: int, n: int) -> None:
        """Append the offsets first, first + 1, …, first + n - 1."""
        if n <= 0:
            return
        shift = first - self.length
        if not self.shifts or self.shifts[-1] != shift:
            self.starts.append(self.length)
            self.shifts.append(shift)
        self.length += n

    def append(self, value: int) -> None:
        self.append_run(value, 1)

    def append_same(self, value: int, n: int) -> None:
        """Append `value` n times (characters that all stand for one source position)."""
        for _ in range(n):
            self.append_run(value, 1)

    def extend_from(self, other: "OffsetMap", a: int, b: int) -> None:
        """Append other[a:b] (a slice as a list would take it: empty when a >= b, cut at len(other))."""
        if b > other.length:
            b = other.length
        if a < 0:
            a = 0
        if a >= b:
            return
        starts, shifts = other.starts, other.shifts
        k = bisect_right(starts, a) - 1
        last = len(starts) - 1
        while a < b:
            end = starts[k + 1] if k < last else other.length
            if end > b:
                end = b
            # append_run(a + shifts[k], end - a), inlined
            shift = a + shifts[k] - self.length
            if not self.shifts or self.shifts[-1] != shift:
                self.starts.append(self.length)
                self.shifts.append(shift)
            self.length += end - a
            a = end
            k += 1

    def pop(self) -> int:
        """Remove and return the last offset."""
        if not self.length:
            raise IndexError("pop from an empty OffsetMap")
        self.length -= 1
        value = self.length + self.shifts[-1]
        if self.starts[-1] == self.length:
            self.starts.pop()
            self.shifts.pop()
        return value

    # -- reading -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return self.length

    def __bool__(self) -> bool:
        return self.length > 0

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self.length))]
        if i < 0:
            i += self.length
        if not 0 <= i < self.length:
            raise IndexError("OffsetMap index out of range")
        return i + self.shifts[bisect_right(self.starts, i) - 1]

    def span(self, a: int, b: int) -> tuple[int, int]:
        """`(m[a], m[b - 1] + 1)`: the source span of characters [a, b), 0 <= a < b <= len(m)."""
        if not 0 <= a < b <= self.length:
            return self[a], self[b - 1] + 1  # what a list would give, or its IndexError
        starts, shifts = self.starts, self.shifts
        return a + shifts[bisect_right(starts, a) - 1], b + shifts[bisect_right(starts, b - 1) - 1]

    def __iter__(self):
        starts, shifts, n = self.starts, self.shifts, len(self.starts)
        for k in range(n):
            end = starts[k + 1] if k + 1 < n else self.length
            yield from range(starts[k] + shifts[k], end + shifts[k])

    def __eq__(self, other) -> bool:
        if isinstance(other, OffsetMap):
            return (self.length, self.starts, self.shifts) == (other.length, other.starts, other.shifts)
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    __hash__ = None  # mutable

    def __repr__(self) -> str:
        return f"OffsetMap(length={self.length}, segments={list(zip(self.starts, self.shifts))})"

    def __getstate__(self):
        return self.starts, self.shifts, self.length

    def __setstate__(self, state) -> None:
        self.starts, self.shifts, self.length = state
