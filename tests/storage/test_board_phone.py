"""Chat UX on a phone, through the real service and storage: clear refusals, teammates told, long lists paged."""

from __future__ import annotations

from core.app.service import InterviewService
from storage.sql_storage import SqlStorage
from tests.storage.test_board_commands import discovery, say


async def test_an_unknown_block_is_refused_with_the_blocks(service: InterviewService, storage: SqlStorage) -> None:
    refused = await say(service, "/hypothesis add revenu Clinics pay per chair every month")
    assert "There is no canvas block “revenu”" in refused
    assert "rs (Revenue streams)" in refused and "cs (Customer segments)" in refused
    assert "/hypothesis add - <statement>" in refused
    assert "There is no canvas block “value_prop”" in await say(service, "/hypothesis add value_prop: Clinics pay")
    assert "Added H1" in await say(service, "/hypothesis add - customer support teams lose tickets")
    assert "Added H2" in await say(service, "/hypothesis add rs: Clinics pay per chair every month")
    await say(service, "/lang ru")
    russian = await say(service, "/hypothesis add сегмнты Клиники теряют пациентов")
    assert "сегмнты" in russian and "cs (Сегменты клиентов)" in russian and "rs (Потоки доходов)" in russian
    assert "H3" in await say(service, "/hypothesis add сегменты Стоматологии с тремя креслами")
    data = await storage.export_data("acme")
    assert [(h.code, h.block) for h in data.hypotheses] == [
        ("H1", None),
        ("H2", "revenue_streams"),
        ("H3", "customer_segments"),
    ]
    assert data.hypotheses[0].statement == "customer support teams lose tickets"


async def test_team_role_for_someone_not_in_the_team_says_so(service: InterviewService) -> None:
    await say(service, "/status")
    await say(service, "/status", user="mia")
    refused = await say(service, "/team role Zed mentor")
    assert "There is no member called Zed in the team. Members: Alice, Mia." in refused
    assert "founder" in await say(service, "/team")


async def test_funnel_log_lists_its_steps_and_matches_the_teams_segments(service: InterviewService) -> None:
    refused = await say(service, "/funnel log visited 3")
    assert "contacted, paid" in refused and "counted from interviews" in refused
    await say(service, "/hypothesis add vp Clinics lose hours re-booking patients")
    assert "Saved ✅" in await discovery(service, "Maria")
    matched = await say(service, "/funnel log contacted 40 dental clinic")
    assert "Counted for the team's segment “Dental clinics”." in matched
    assert "Dental clinics: 40 → 1 (2%)" in matched and "dental clinic:" not in matched
    new = await say(service, "/funnel log contacted 5 Vets")
    assert "“Vets” is a new segment. The team's segments so far: Dental clinics." in new
    same = await say(service, "/funnel log paid 1 DENTAL CLINICS")
    assert "new segment" not in same and "Counted for" not in same
