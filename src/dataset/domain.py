"""The story's own names that the generic checks need: where the sources are, which rows are claims.

The validator's engine is written for any package shaped like this one; what ties it to this
story's tables and columns is named here, once (the custody meaning of event types lives in
`stages.py`). A renamed table or column is changed here and in datapackage.json, nowhere else.
"""

from __future__ import annotations

from .stages import DETENTION_TYPES, LEGAL_PATH

#: The tables every package of this project has, in reading order.
TABLES = ("sources", "persons", "organizations", "events", "statements", "figures", "claim_links")

#: The table of archived articles: each row one source, its archived file and its publication date.
SOURCES_TABLE = "sources"
SOURCE_ID, SOURCE_PATH, SOURCE_DIGEST, PUBLISHED = "id", "path", "sha256", "published"

#: Tables whose rows are claims dated against the publication of the sources they cite.
CLAIM_TABLES = ("events", "statements", "figures")
#: A claim's date and, for a span, its end (both partial ISO dates).
DATE, END_DATE = "date", "end_date"

#: The events table, its type column and the list of persons an event names.
EVENTS_TABLE, EVENT_TYPE, PERSON_IDS = "events", "event_type", "person_ids"
#: Event types that open custody (a release must follow one) and the type of a release.
OPENS_CUSTODY = DETENTION_TYPES
RELEASE_TYPES = tuple(t for t, s in LEGAL_PATH.items() if s.label == "released")
