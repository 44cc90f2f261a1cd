"""Search text and paging at the service: a NUL or other control character, broken text or an impossible
count is refused with one line naming it; a count beyond any register means all."""

from __future__ import annotations

import pytest

from smerteagent.core.patients import PatientInput
from smerteagent.core.text import TextError
from smerteagent.i18n import _
from smerteagent.storage.services import Services


@pytest.mark.parametrize("query", ["Åse\x00", "\x00", "Å\x07se", "\udcff\udcfe"])
def test_control_characters_and_broken_text_in_a_search_are_refused(services: Services, query: str) -> None:
    services.patients.add(PatientInput("Åse", "Ærø", no_cpr=True))
    with pytest.raises(TextError) as caught:
        services.patients.search(query)
    assert caught.value.field == _("search") and len(str(caught.value).splitlines()) == 1


@pytest.mark.parametrize("limit", [10**20, 2**63])
def test_a_count_beyond_any_register_means_all(services: Services, limit: int) -> None:
    services.patients.add(PatientInput("Åse", "Ærø", no_cpr=True))
    assert [row.given_name for row in services.patients.search("åse", limit)] == ["Åse"]
    assert len(services.patients.recent(limit, 0)) == 1


@pytest.mark.parametrize(("limit", "offset"), [(-1, 0), (5, -1)])
def test_a_negative_count_is_refused(services: Services, limit: int, offset: int) -> None:
    with pytest.raises(TextError):
        services.patients.recent(limit, offset)
