"""FollowTheMoney export: every entity passes the model, `ftm` tooling reads the file, ids are stable."""
from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from followthemoney import model

from gazetteer import ROOT as GAZ
from pipeline.interfaces.cli import main
from pipeline.interfaces.ftm import body_kind, read_ftm
from pipeline.store.storage import open_db, rebuild_derived
from tests.conftest import SHARED

def export(db_path, out: Path) -> list[dict]:
    result = CliRunner().invoke(main, ["export", "--db", str(db_path), "--format", "ftm", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def check_with_ftm_tools(path: Path, n: int) -> None:
    """`ftm validate` and `ftm aggregate` (followthemoney's own CLI, run in-process) read every entity back."""
    from followthemoney.cli.cli import cli as ftm_cli

    for command in ("validate", "aggregate"):
        out = path.with_suffix(f".{command}.json")
        result = CliRunner().invoke(ftm_cli, [command, "-i", str(path), "-o", str(out)])
        assert result.exit_code == 0, (command, result.output, result.exception)
        back = {e["id"]: e for e in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
        assert len(back) == n
        if command == "validate":  # re-parsed and cleaned by the model, nothing was dropped or changed
            for ours in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
                theirs = back[ours["id"]]
                assert theirs["schema"] == ours["schema"]
                assert {k: sorted(v) for k, v in theirs["properties"].items()} == \
                    {k: sorted(v) for k, v in ours["properties"].items()}, ours["id"]


def check_entities(ents: list[dict]) -> None:
    ids = [e["id"] for e in ents]
    assert ids == sorted(set(ids))  # one line per entity, sorted
    for proxy in read_ftm(json.dumps(e) for e in ents):  # strict: unknown schema/property raises
        assert proxy.schema.validate(proxy.to_dict()) is None
    by_id = {e["id"]: e for e in ents}
    for e in ents:  # every reference points at an entity in the file
        for prop, values in e["properties"].items():
            if model.get(e["schema"]).get(prop).type.name == "entity":
                assert all(v in by_id for v in values), (e["schema"], prop)


def test_body_rules_examples():
    data = yaml.safe_load((GAZ / "ftm.examples.yaml").read_text(encoding="utf-8"))
    for ex in data["examples"]:
        assert body_kind(ex["organisation"]) == {k: ex[k] for k in ("schema", "vietnamese", "generic")}, ex


def test_seed_export_validates_and_maps_the_officials(seed_db, tmp_path):
    ents = export(seed_db, tmp_path / "seeds.ftm.json")
    check_entities(ents)
    check_with_ftm_tools(tmp_path / "seeds.ftm.json", len(ents))
    schemas = {e["schema"] for e in ents}
    assert schemas >= {"Person", "Position", "Occupancy", "PublicBody", "Article", "Documentation", "Document"}
    by_id = {e["id"]: e for e in ents}
    mai = next(e for e in ents if e["schema"] == "Person" and e["properties"]["name"] == ["Trương Thị Mai"])
    assert mai["properties"]["country"] == ["vn"]
    occ = [e for e in ents if e["schema"] == "Occupancy" and e["properties"]["holder"] == [mai["id"]]]
    posts = {by_id[o["properties"]["post"][0]]["properties"]["name"][0] for o in occ}
    assert "Trưởng Ban Dân vận Trung ương" in posts
    for o in occ:  # never a term: only report dates, said to be so
        assert "startDate" not in o["properties"] and "endDate" not in o["properties"]
        assert "not stated" in o["properties"]["description"][0]
        assert by_id[o["properties"]["proof"][0]]["schema"] == "Article"
    lai_chau = next(e for e in ents if e["schema"] == "Position" and
                    e["properties"]["name"] == ["Bí thư Tỉnh ủy Lai Châu"])
    assert lai_chau["properties"]["subnationalArea"] == ["Lai Châu"]
    assert by_id[lai_chau["properties"]["organization"][0]]["schema"] == "PublicBody"
    kl = next(e for e in ents if e["schema"] == "Document" and e["properties"]["name"] == ["120-KL/TW"])
    assert kl["properties"]["publisher"] == ["Bộ Chính trị"]
    cited = [e for e in ents if e["schema"] == "Documentation" and e["properties"]["entity"] == [kl["id"]]]
    assert len(cited) == 2 and {c["properties"]["role"][0] for c in cited} == {"cited"}
    article = next(e for e in ents if e["schema"] == "Article")
    assert article["properties"]["publishedAt"] and article["properties"]["fileName"]


def test_ids_do_not_change_when_the_tables_are_rebuilt(seed_db, tmp_path):
    path = tmp_path / "copy.db"
    src, dst = sqlite3.connect(seed_db), sqlite3.connect(path)
    src.backup(dst)
    src.close(), dst.close()
    first = (tmp_path / "a.json")
    export(path, first)
    rebuild_derived(open_db(path))
    second = tmp_path / "b.json"
    export(path, second)
    assert first.read_bytes() == second.read_bytes()


UNC = SHARED / "corpus" / "unc"


@pytest.fixture(scope="session")
def unc_db(tmp_path_factory):
    """A database of all of ../shared/corpus/unc, built once per session."""
    if not UNC.exists():
        pytest.skip("../shared/corpus/unc is not beside this checkout")
    from pipeline.engines.runner import run

    path = tmp_path_factory.mktemp("unc") / "unc.db"
    run([UNC], path, workers=os.cpu_count(), progress=False)
    return path


@pytest.mark.slow
def test_unc_export_validates_and_ids_survive_force(unc_db, tmp_path):
    from pipeline.engines.runner import run

    first = tmp_path / "unc.ftm.json"
    ents = export(unc_db, first)
    check_entities(ents)
    check_with_ftm_tools(first, len(ents))
    counts = {s: sum(e["schema"] == s for e in ents) for s in ("Article", "Person", "Occupancy", "Document")}
    assert counts["Article"] == 2641 and min(counts.values()) > 100, counts
    run([UNC], unc_db, workers=os.cpu_count(), progress=False, force=True)
    second = tmp_path / "unc-force.ftm.json"
    export(unc_db, second)
    assert first.read_bytes() == second.read_bytes()
