"""``N_``: the marker of a message looked up later in an edition's catalogue.

Kept apart from :mod:`geo.i18n` (which loads Babel) so that modules read at start-up, such
as :mod:`geo.worldview`, can mark their texts at no cost; :mod:`geo.i18n.words` looks them up.
"""

from __future__ import annotations


def N_(msgid: str) -> str:
    """Mark ``msgid`` for the catalogue template (:mod:`geo.i18n.extract`); returned as is."""
    return msgid
