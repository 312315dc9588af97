"""A document pickled once, in the process that made it, and handed on between processes as bytes."""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from factsheet.rendering.document import Document


@dataclass(frozen=True)
class Parcel:
    """A document's pickle.

    A render's document goes from the render's child to the process that
    compiled the template, to the build's main process, to each writer process.
    Pickled once, it crosses each of them as one block of bytes, and is made
    into objects again only where it is read: a writer, and the main process
    once the writers have it.
    """

    data: bytes

    @classmethod
    def of(cls, document: Document) -> Parcel:
        """Return ``document`` pickled."""
        return cls(pickle.dumps(document, pickle.HIGHEST_PROTOCOL))

    def open(self) -> Document:
        """Return the document."""
        document: Document = pickle.loads(self.data)
        return document
