"""Patient search: any part of a name or CPR, Danish letters folded, newest activity first.

SQLite answers 3+ character terms from an FTS5 trigram index; PostgreSQL from a pg_trgm index. Terms of
1-2 characters match the start of the given name, family name or CPR through ordinary indexes.

Plain SQL and the standard library only (no SQLAlchemy): the patient service runs these statements through
its engine, and the app's first screen (:mod:`smerteagent.storage.list_reader`) through ``sqlite3``, so both
find exactly the same patients.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from smerteagent.core.text import TextError, clean_text, fold
from smerteagent.i18n import _

_CPR_WITH_DASH = re.compile(r"^(\d{6})-(\d{0,4})$")
COLUMNS = "p.id, p.cpr, p.given_name, p.family_name, p.birth_date, p.sex, p.last_activity_at"
RECENT_SQL = f"SELECT {COLUMNS} FROM patients p ORDER BY p.last_activity_at DESC, p.id DESC LIMIT :limit OFFSET :offset"
DEFAULT_LIMIT = 50
MAX_ROWS = 2**62  # beyond any register; a larger count asks for "all" and is read as such (SQLite's integers)
MAX_QUERY = 200


def row_count(name: str, value: int) -> int:
    """A row count or offset as the database can take it: negative refused, astronomically large = all."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise TextError(name, _("must be a whole number of 0 or more (got {value})").format(value=value))
    return min(value, MAX_ROWS)


def search_terms(query: str) -> list[str]:
    """Folded words of a query; a CPR typed with its dash becomes its digits."""
    terms = []
    for word in query.split():
        match = _CPR_WITH_DASH.match(word)
        terms.append(match.group(1) + match.group(2) if match else fold(word))
    return [t for t in terms if t]


def search_key(given_name: str, family_name: str, cpr: str | None) -> str:
    """The stored text every search runs against: folded names and the CPR digits, space-delimited."""
    return f" {fold(given_name)} {fold(family_name)} {cpr or ''} "


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True)
class SearchQuery:
    sql: str
    parameters: dict[str, object]


def build_search(dialect: str, terms: list[str], limit: int) -> SearchQuery:
    """One SQL statement for the terms; all terms must match (AND)."""
    long_terms = [t for t in terms if len(t) >= 3]
    short_terms = [t for t in terms if len(t) < 3]
    parameters: dict[str, object] = {"limit": limit}
    conditions = []
    source = "patients p"
    if dialect == "sqlite" and long_terms:
        source = "patient_search s JOIN patients p ON p.id = s.rowid"
        conditions.append("patient_search MATCH :match")
        parameters["match"] = " AND ".join('"' + t.replace('"', '""') + '"' for t in long_terms)
    else:
        for index, term in enumerate(long_terms):
            conditions.append(f"p.search_text LIKE :long{index} ESCAPE '\\'")
            parameters[f"long{index}"] = f"%{_like_escape(term)}%"
    for index, term in enumerate(short_terms):
        if index == 0 and not long_terms:
            conditions.append(_prefix_condition(dialect))
            parameters["prefix"] = term
            parameters["prefix_like"] = f"{_like_escape(term)}%"
            parameters["prefix_end"] = term + "\U0010ffff"
        else:
            conditions.append(f"p.search_text LIKE :short{index} ESCAPE '\\'")
            parameters[f"short{index}"] = f"% {_like_escape(term)}%"
    where = " AND ".join(conditions) or "1 = 1"
    sql = f"SELECT {COLUMNS} FROM {source} WHERE {where} ORDER BY p.last_activity_at DESC, p.id DESC LIMIT :limit"
    return SearchQuery(sql, parameters)


def patient_search(dialect: str, query: str, limit: int) -> SearchQuery | None:
    """The search for ``query`` (None: no terms, the caller lists recent patients instead). A query with a
    NUL or other control character, or broken text, is refused naming the problem (TextError)."""
    terms = search_terms(clean_text(_("search"), query, limit=MAX_QUERY) or "")
    limit = row_count("limit", limit)
    return build_search(dialect, terms, limit) if terms else None


def _prefix_condition(dialect: str) -> str:
    if dialect == "sqlite":
        keys = ("p.family_key", "p.given_key", "p.cpr")
        return "(" + " OR ".join(f"({k} >= :prefix AND {k} < :prefix_end)" for k in keys) + ")"
    keys = ("p.family_key", "p.given_key", "p.cpr")
    return "(" + " OR ".join(f"{k} LIKE :prefix_like ESCAPE '\\'" for k in keys) + ")"
