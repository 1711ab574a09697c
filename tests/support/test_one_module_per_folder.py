"""One folder of features, one step module, one area package, named alike; `common` is what they all share."""

from pathlib import Path

from hamcrest import assert_that, equal_to

REPO_ROOT = Path(__file__).resolve().parents[2]
SHARED = "common"


def feature_folders() -> set[str]:
    return {p.name for p in (REPO_ROOT / "features").iterdir() if p.is_dir() and any(p.glob("*.feature"))}


def step_modules() -> set[str]:
    return {p.name.removesuffix("_steps.py") for p in (REPO_ROOT / "steps").glob("*_steps.py")}


def step_files_not_named_so() -> set[str]:
    return {p.name for p in (REPO_ROOT / "steps").glob("*.py") if not p.name.endswith("_steps.py")} - {"__init__.py"}


def area_packages() -> set[str]:
    areas = REPO_ROOT / "support" / "areas"
    return {p.name for p in areas.iterdir() if (p / "__init__.py").exists()}


def area_modules_outside_a_package() -> set[str]:
    areas = REPO_ROOT / "support" / "areas"
    return {p.name for p in areas.glob("*.py")} - {"__init__.py", "step_vocabulary.py"}


def test_each_feature_folder_has_its_step_module_and_area_and_nothing_else_stands_apart():
    expected = feature_folders() | {SHARED}
    assert_that(step_modules(), equal_to(expected), "step modules named after the folders of features/, and common")
    assert_that(area_packages(), equal_to(expected), "area packages named after the folders of features/, and common")
    assert_that(step_files_not_named_so(), equal_to(set()), "a step module named otherwise than <folder>_steps.py")
    assert_that(area_modules_outside_a_package(), equal_to(set()), "an area module outside its folder's package")
