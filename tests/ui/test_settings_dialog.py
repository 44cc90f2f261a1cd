"""Settings are the administrator's, including the clinic's own forms folder: its check names each broken
file and keeps the rest of the forms usable."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from smerteagent.paths import bundled_forms_dir, user_forms_dirs
from smerteagent.storage.services import Services
from smerteagent.ui.context import AppContext
from smerteagent.ui.forms_folder import FormsFolderRow
from smerteagent.ui.settings_dialog import SettingsDialog


def test_the_forms_check_names_the_broken_file_and_lists_the_good_ones(qtbot: QtBot, services: Services) -> None:
    folder = user_forms_dirs()[0]
    folder.mkdir(parents=True)
    own = (bundled_forms_dir() / "phq4.yaml").read_text(encoding="utf-8").replace("id: phq4", "id: phq4_klinik", 1)
    (folder / "phq4_klinik.yaml").write_text(own, encoding="utf-8")
    (folder / "ødelagt.yaml").write_text("id: x\nitems: [\n", encoding="utf-8")
    context = AppContext()
    context.set_services(services)
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    [row] = dialog.findChildren(FormsFolderRow)
    report = row.check()
    assert "phq4_klinik" in report.splitlines()[0]
    assert any("ødelagt.yaml" in line for line in report.splitlines()[1:])


def test_the_check_names_the_clinics_rules_files_and_a_refused_one(qtbot: QtBot) -> None:
    from smerteagent.paths import bundled_resources_dir, rules_folders

    folder = rules_folders()[0]
    folder.mkdir(parents=True)
    thresholds = (bundled_resources_dir() / "medication" / "thresholds.yaml").read_text(encoding="utf-8")
    (folder / "thresholds.yaml").write_text(thresholds.replace("{value: 90", "{value: 80"), encoding="utf-8")
    contacts = (bundled_resources_dir() / "careplan" / "safety_contacts.yaml").read_text(encoding="utf-8")
    (folder / "safety_contacts.yaml").write_text(contacts.replace('number: "112"', 'number: ""'), encoding="utf-8")
    row = FormsFolderRow()
    qtbot.addWidget(row)
    lines = row.check().splitlines()
    [used] = [line for line in lines if "thresholds.yaml" in line]
    assert "safety_contacts" not in used
    [refused] = [line for line in lines if "safety_contacts.yaml" in line]
    assert "contacts: the 'emergency' contact must stay" in refused.split("safety_contacts.yaml", 1)[1]
