"""The funnel file: what a good one gives, and the error each kind of mistake reports."""

from pathlib import Path

import pytest

from orchestration.funnels import FunnelConfigError, load_funnels, parse_funnels, step_rows

GOOD = """
[[funnel]]
name = "Pricing to checkout"
steps = [{ page = "/pricing" }, { button = "Start trial" }, { property = "plan", value = "pro" }]
"""


def test_a_good_file_gives_its_steps_in_order() -> None:
    (funnel,) = parse_funnels(GOOD)
    assert step_rows((funnel,)) == [
        ("Pricing to checkout", 1, "page", "/pricing"),
        ("Pricing to checkout", 2, "button", "Start trial"),
        ("Pricing to checkout", 3, "property", '"plan":"pro"'),
    ]


def _funnel(steps: str, name: str = "F") -> str:
    return f'[[funnel]]\nname = "{name}"\nsteps = [{steps}]\n'


BAD = {
    "not toml": ("[[funnel]\nname =", "not valid TOML"),
    "unknown key": ('[[funnel]]\nname = "F"\nsteps = []\ncolour = "red"\n', "colour"),
    "unknown top-level table": ('[funnels]\nname = "F"\n', "funnels"),
    "no name": ('[[funnel]]\nsteps = [{ page = "/a" }, { page = "/b" }]\n', "name"),
    "empty name": (_funnel('{ page = "/a" }, { page = "/b" }', name=" "), "a name of 1 to 100"),
    "same name twice": (
        _funnel('{ page = "/a" }, { page = "/b" }') * 2,
        "funnel 2 ('F'): the name is used twice",
    ),
    "one step": (_funnel('{ page = "/a" }'), "2 to 8 steps, not 1"),
    "nine steps": (_funnel(", ".join(['{ page = "/a" }'] * 9)), "2 to 8 steps, not 9"),
    "step with two kinds": (
        _funnel('{ page = "/a", button = "B" }, { page = "/b" }'),
        "step 1: exactly one of page, button or property",
    ),
    "empty step": (_funnel('{ page = "/a" }, {}'), "step 2: exactly one of"),
    "property without value": (
        _funnel('{ page = "/a" }, { property = "plan" }'),
        "step 2: a property needs a value",
    ),
    "value without property": (
        _funnel('{ page = "/a", value = "x" }, { page = "/b" }'),
        "a property needs a value, and only a property has one",
    ),
    "page not a path": (_funnel('{ page = "pricing" }, { page = "/b" }'), "starting with /"),
    "step a string": (_funnel('"/pricing", { page = "/b" }'), "Expected `object`"),
    "button too long": (
        _funnel(f'{{ button = "{"b" * 201}" }}, {{ page = "/b" }}'),
        "button of 1 to 200",
    ),
}


@pytest.mark.parametrize(("text", "message"), BAD.values(), ids=BAD.keys())
def test_a_wrong_file_is_refused_with_what_to_fix(text: str, message: str) -> None:
    with pytest.raises(FunnelConfigError, match=None) as raised:
        parse_funnels(text)
    assert message in str(raised.value)


def test_loading_never_raises_and_reports_the_file(tmp_path: Path) -> None:
    assert load_funnels(tmp_path / "none.toml").funnels == ()
    assert load_funnels(tmp_path / "none.toml").error is None
    wrong = tmp_path / "funnels.toml"
    wrong.write_text(_funnel('{ page = "/a" }'))
    loaded = load_funnels(wrong)
    assert loaded.funnels == ()
    assert loaded.error == f"{wrong}: funnel 1 ('F'): 2 to 8 steps, not 1"


def test_the_shipped_file_is_valid() -> None:
    loaded = load_funnels(Path(__file__).parents[2] / "funnels.toml")
    assert loaded.error is None
    assert len(loaded.funnels) == 2
