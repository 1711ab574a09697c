"""The model's tool calls read strictly: every call is run or refused by name, never a crash."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.domain.roles import Role, role_allows
from app.domain.tool_calls import (
    ARGUMENT_CHARACTERS,
    ARGUMENT_DEPTH,
    TOOLS,
    ToolCall,
    ToolRefused,
    definitions,
    read_calls,
    refusal_for,
)

_ids = itertools.count()


def _new_id() -> str:
    return f"made_{next(_ids)}"


def _call(name: object, arguments: object, call_id: object = "call_1") -> dict:
    return {"id": call_id, "type": "function", "function": {"name": name, "arguments": arguments}}


def _one(name: object, arguments: object) -> ToolCall:
    (call,) = read_calls([_call(name, arguments)], _new_id)
    return call


def _strict(value: object) -> str:
    """``value`` as the UTF-8 text of RFC 8259 JSON; fails on NaN, Infinity or a lone surrogate (which no
    UTF-8 frame can carry), as a strict client would."""
    text = json.dumps(value, allow_nan=False, ensure_ascii=False)
    text.encode("utf-8")
    assert "\x00" not in text
    return text


@pytest.mark.parametrize(
    ("name", "arguments", "field"),
    [
        ("delete_all_invoices", "{}", "tool"),
        (42, "{}", "tool"),
        ("client_lookup", "{name: Globex", "arguments"),
        ("client_lookup", "[1, 2]", "arguments"),
        ("client_lookup", "{}", "name"),
        ("client_lookup", '{"name": "Globex", "tenant_id": "x"}', "tenant_id"),
        ("client_lookup", json.dumps({"name": "G" * 201}), "name"),
        ("client_lookup", '{"name": 42}', "name"),
        ("client_lookup", '{"name": "Glo\\u0000bex"}', "name"),
        ("client_lookup", '{"name": "Glo\\ud800bex"}', "name"),
        ("client_lookup", '{"na\\u0000me": "Globex"}', "arguments"),
        ("client_lookup", '{"name": NaN}', "arguments"),
        ("client_lookup", '{"name": 1e999}', "arguments"),
        ("client_lookup", "[" * 50_000 + "]" * 50_000, "arguments"),
        ("client_lookup", json.dumps({"name": "x" * (ARGUMENT_CHARACTERS + 1)}), "arguments"),
        ("research", '{"topics": ["pipeline", "payroll"]}', "topics"),
        ("research", '{"topics": [["overdue"]]}', "topics"),
        ("research", '{"topics": "overdue"}', "topics"),
        ("create_follow_up_task", '{"title": "x"}', "client"),
    ],
)
def test_a_call_that_breaks_its_tools_schema_is_refused_naming_the_field(name, arguments, field):
    call = _one(name, arguments)
    assert call.refusal is not None
    assert call.refusal.field == field
    _strict(call.echo)


def test_text_of_exactly_the_limit_is_taken():
    call = _one("client_lookup", json.dumps({"name": "G" * 200}))
    assert call.refusal is None
    assert call.runs == ("client_lookup",)


def test_arguments_given_as_an_object_are_read_like_text():
    call = _one("client_lookup", {"name": "Globex"})
    assert call.refusal is None
    assert call.arguments == {"name": "Globex"}


def test_arguments_nested_past_the_limit_as_an_object_are_refused():
    deep: object = "x"
    for _ in range(ARGUMENT_DEPTH + 5):
        deep = [deep]
    assert _one("client_lookup", {"name": deep}).refusal is not None


def test_research_with_no_topics_runs_every_topic():
    for arguments in ("{}", '{"topics": []}'):
        call = _one("research", arguments)
        assert call.refusal is None
        assert call.runs == ("open_pipeline_summary", "overdue_invoices", "revenue_by_month")


def test_research_with_no_topics_is_refused_to_a_role_without_every_topics_right():
    refusal = refusal_for(Role.SALES, _one("research", "{}"))
    assert refusal is not None
    assert "may not read overdue invoices" in refusal.message


def test_research_needs_the_right_of_every_topic_it_looks_up():
    assert refusal_for(Role.SALES, _one("research", '{"topics": ["pipeline"]}')) is None
    refusal = refusal_for(Role.SALES, _one("research", '{"topics": ["pipeline", "overdue"]}'))
    assert refusal is not None and "may not read overdue invoices" in refusal.message


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("tool", sorted(name for name in TOOLS if name != "research"))
def test_each_tool_follows_the_rights_table_for_each_role(role, tool):
    arguments = {"client_lookup": {"name": "Globex"}, "create_follow_up_task": {"title": "x", "client": "y"}}
    call = _one(tool, json.dumps(arguments.get(tool, {})))
    right = TOOLS[tool].right
    assert right is not None
    refusal = refusal_for(role, call)
    assert (refusal is None) == role_allows(role, right)
    if refusal is not None:
        assert "may not" in refusal.message and refusal.field == "tool"


def test_a_missing_malformed_or_repeated_call_id_is_replaced_by_one_of_the_platforms():
    calls = read_calls(
        [
            _call("open_pipeline_summary", "{}", "same"),
            _call("revenue_by_month", "{}", "same"),
            _call("revenue_by_month", "{}", None),
            _call("revenue_by_month", "{}", "with spaces and \u0000"),
        ],
        _new_id,
    )
    ids = [c.id for c in calls]
    assert ids[0] == "same"
    assert len(set(ids)) == 4
    assert all(i.startswith("made_") for i in ids[1:])


@pytest.mark.parametrize("raw", [None, [], {"function": {"name": "revenue_by_month"}}, "text", 42, [None, "x"]])
def test_whatever_the_model_puts_in_its_tool_calls_is_read_without_an_error(raw):
    for call in read_calls(raw, _new_id):
        assert call.refusal is not None or call.name in TOOLS
        _strict(call.echo)


def test_the_definitions_the_model_is_sent_are_made_from_the_schemas():
    names = [d["function"]["name"] for d in definitions()]
    assert names == list(TOOLS)
    follow_up = next(d for d in definitions() if d["function"]["name"] == "create_follow_up_task")
    assert follow_up["function"]["parameters"]["required"] == ["title", "client"]


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
_names = st.sampled_from(sorted(TOOLS)) | st.text(max_size=20) | st.integers() | st.none()
_arguments = (
    _json
    | _json.map(lambda v: json.dumps(v))
    | st.text(max_size=60)
    | st.fixed_dictionaries({"name": _json})
    | st.fixed_dictionaries({"topics": _json})
    | st.fixed_dictionaries({"title": _json, "client": _json})
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    calls=st.lists(
        st.fixed_dictionaries(
            {"id": _json, "function": st.fixed_dictionaries({"name": _names, "arguments": _arguments})}
        )
        | _json,
        max_size=4,
    ),
    role=st.sampled_from(list(Role)),
)
def test_any_call_the_model_can_make_is_either_run_or_refused_naming_a_field(calls, role):
    """The guard's whole promise: no exception, a refusal with a field or a call of a real tool whose
    arguments keep their schema, an echo that is strict JSON, and ids unique within the turn."""
    read = read_calls(calls, _new_id)
    assert len({c.id for c in read}) == len(read)
    for call in read:
        _strict(call.echo)
        _strict(call.name)
        if call.refusal is not None:
            assert isinstance(call.refusal, ToolRefused) and call.refusal.field
            _strict(call.refusal.message)
            continue
        assert call.name in TOOLS
        for key, value in call.arguments.items():
            assert key in TOOLS[call.name].arguments
            _strict(value)
        refusal = refusal_for(role, call)
        assert refusal is None or refusal.field == "tool"


def test_arguments_nesting_exactly_to_the_limit_are_read_and_one_level_more_are_refused_by_name():
    at_limit = '{"name": ' + "[" * (ARGUMENT_DEPTH - 1) + "]" * (ARGUMENT_DEPTH - 1) + "}"
    past = '{"name": ' + "[" * ARGUMENT_DEPTH + "]" * ARGUMENT_DEPTH + "}"
    assert _one("client_lookup", at_limit).refusal.message == "name of client_lookup must be text"
    assert (
        _one("client_lookup", past).refusal.message
        == f"the arguments of client_lookup nest deeper than {ARGUMENT_DEPTH} levels"
    )
    curly = '{"name": ' + '{"a": ' * ARGUMENT_DEPTH + "1" + "}" * ARGUMENT_DEPTH + "}"
    assert "nest deeper" in _one("client_lookup", curly).refusal.message


def test_the_longest_arguments_nested_as_deep_as_they_can_or_closed_before_opened_are_refused_never_parsed_deep():
    """Any text the parser could nest past Python's recursion limit in is refused first, by its nesting."""
    opened = "[" * 7_999
    assert "nest deeper" in _one("client_lookup", opened).refusal.message
    assert "nest deeper" in _one("client_lookup", '{"name": "' + '\\"' + '", "x": ' + "{" * 3_000).refusal.message
    backwards = "]" * 4_000 + "[" * 3_999
    assert _one("client_lookup", backwards).refusal.message == "the arguments of client_lookup are not JSON"


def test_brackets_and_escaped_quotes_inside_text_are_not_counted_as_nesting():
    name = 'Globex \\" ' + "[{" * 20
    call = _one("client_lookup", json.dumps({"name": json.loads(f'"{name}"')}))
    assert call.refusal is None, call.refusal
    assert call.arguments["name"].endswith("[{" * 20)


def test_arguments_given_as_an_object_nesting_to_the_limit_are_read_as_that_deep():
    deep: object = "x"
    for _ in range(ARGUMENT_DEPTH - 1):
        deep = [deep]
    assert _one("client_lookup", {"name": deep}).refusal.message == "name of client_lookup must be text"
    assert _one("client_lookup", {"name": [deep]}).refusal.message == (
        "the arguments of client_lookup nest deeper than 8 levels"
    )


def test_what_an_executing_event_shows_of_refused_arguments_is_bounded():
    from app.domain.tool_calls import ECHO_CHARACTERS

    many = _one("client_lookup", {"name": list(range(30)), "k": {str(n): n for n in range(30)}})
    assert many.echo["name"] == list(range(20))
    assert len(many.echo["k"]) == 20
    deep = _one("client_lookup", {"name": [[[[["five"]]]]]})
    assert deep.echo == {"name": [[["…"]]]}  # four levels: the arguments and three lists
    big = _one("client_lookup", {"name": 2**53, "k": 2**53 + 1, "f": 1.5})
    assert big.echo == {"name": 2**53, "k": str(2**53 + 1), "f": 1.5}
    long = _one("client_lookup", {"name": "x" * 5000, "k": ["y" * 300] * 10})
    assert long.echo["name"] == "x" * 200 + "…"
    assert sum(len(t) for t in [long.echo["name"], *long.echo["k"]]) <= ECHO_CHARACTERS + 20


def test_a_tool_name_is_shown_cut_to_eighty_characters():
    call = _one("t" * 100, "{}")
    assert call.name == "t" * 80
    assert call.refusal.message == f"there is no tool called '{'t' * 80}'"


def test_the_definitions_give_each_name_argument_its_bounds():
    lookup = next(d for d in definitions() if d["function"]["name"] == "client_lookup")
    assert lookup["function"]["parameters"]["properties"]["name"]["minLength"] == 1
    assert lookup["function"]["parameters"]["properties"]["name"]["maxLength"] == 200
    research = next(d for d in definitions() if d["function"]["name"] == "research")
    assert research["function"]["parameters"]["properties"]["topics"]["type"] == "array"
    assert research["function"]["parameters"]["required"] == []


# The limits below are written as numbers, not read from the module: a test that takes its expectation
# from the code it checks cannot fail when the code's limit is changed.


def test_arguments_of_exactly_eight_thousand_characters_are_read_and_one_more_are_refused():
    def of_length(length: int) -> str:
        text = json.dumps({"name": "G"})
        return text[:-1] + " " * (length - len(text)) + "}"

    assert _one("client_lookup", of_length(8_000)).refusal is None
    assert _one("client_lookup", of_length(8_001)).refusal.message == (
        "the arguments of client_lookup are longer than 8000 characters"
    )


def test_eight_levels_of_nesting_are_the_limit_whether_text_or_object():
    def nested(levels: int) -> object:
        value: object = []
        for _ in range(levels - 2):  # the arguments' object and the innermost empty list are two levels
            value = [value]
        return {"name": value}

    assert _one("client_lookup", nested(8)).refusal.message == "name of client_lookup must be text"
    assert _one("client_lookup", json.dumps(nested(8))).refusal.message == "name of client_lookup must be text"
    too_deep = "the arguments of client_lookup nest deeper than 8 levels"
    assert _one("client_lookup", nested(9)).refusal.message == too_deep
    assert _one("client_lookup", json.dumps(nested(9))).refusal.message == too_deep


def test_brackets_side_by_side_are_not_counted_as_nesting():
    siblings = json.dumps({"name": [[] for _ in range(12)]})
    assert _one("client_lookup", siblings).refusal.message == "name of client_lookup must be text"


@pytest.mark.parametrize(
    "prefix",
    [
        pytest.param("[]," * 1_000, id="after a thousand closed brackets"),
        pytest.param('"\\\\", ', id="after an escaped backslash"),
        pytest.param('"\\n", ', id="after an escaped letter"),
    ],
)
def test_text_nesting_a_thousand_deep_is_refused_as_too_deep_whatever_comes_before_it(prefix):
    text = '{"name": [' + prefix + "[" * 1_000 + "]" * 1_000 + "]}"
    assert _one("client_lookup", text).refusal.message == "the arguments of client_lookup nest deeper than 8 levels"


def test_an_object_nested_far_past_the_limit_is_refused_without_walking_all_of_it():
    deep: object = "x"
    for _ in range(50_000):
        deep = [deep]
    assert _one("client_lookup", {"name": deep}).refusal.message == (
        "the arguments of client_lookup nest deeper than 8 levels"
    )


@pytest.mark.parametrize(
    ("role", "tool", "message"),
    [
        (Role.ANALYST, "create_follow_up_task", "an analyst may not create follow-up tasks"),
        (Role.OWNER, None, None),
        (Role.SALES, "overdue_invoices", "a sales may not read overdue invoices"),
        (Role.FINANCE, "create_follow_up_task", "a finance may not create follow-up tasks"),
        (Role.COMPLIANCE, "create_follow_up_task", "a compliance may not create follow-up tasks"),
    ],
)
def test_a_refusal_names_the_role_with_its_article(role, tool, message):
    arguments = {"client_lookup": '{"name": "Globex"}', "create_follow_up_task": '{"title": "x", "client": "y"}'}
    if tool is None:
        assert all(refusal_for(role, _one(name, arguments.get(name, "{}"))) is None for name in TOOLS)
        return
    refusal = refusal_for(role, _one(tool, arguments.get(tool, "{}")))
    assert refusal is not None
    assert refusal.message == f"{message}, so the assistant may not do it for you"


def test_an_echo_shows_at_most_one_thousand_characters_of_text():
    echo = _one("client_lookup", {"name": ["y" * 300] * 10}).echo
    # the key (4) and four items of 200 leave 196 characters for the fifth; nothing for the rest
    assert echo["name"][:4] == ["y" * 200 + "…"] * 4
    assert echo["name"][4] == "y" * 196 + "…"
    assert echo["name"][5:] == ["…"] * 5


def test_an_echo_shows_a_list_met_with_one_character_of_budget_left():
    shown = ["y" * 200] * 4 + ["y" * 195, [], "z"]
    echo = _one("client_lookup", {"name": shown}).echo
    assert echo["name"][5] == []
    assert echo["name"][6] == "z"  # the last character of the budget


def test_no_tool_calls_are_no_calls_and_a_single_call_not_in_a_list_is_read():
    assert read_calls(None, _new_id) == []
    (call,) = read_calls(_call("revenue_by_month", "{}"), _new_id)
    assert call.refusal is None and call.name == "revenue_by_month"


def test_an_echo_shows_nothing_none_and_yes_or_no_as_they_are():
    assert _one("client_lookup", {"name": None, "k": True, "f": False}).echo == {"name": None, "k": True, "f": False}


def test_an_echo_shows_a_list_met_with_no_budget_left_as_an_ellipsis():
    echo = _one("client_lookup", {"name": ["y" * 300] * 5 + [["z"]]}).echo
    assert echo["name"][5] == "…"


def test_text_nesting_exactly_eight_deep_with_more_than_eight_brackets_is_read():
    text = '{"name": [[[[[[[]]]]]], []]}'  # the object, then seven lists at the deepest; nine brackets in all
    assert text.count("[") + text.count("{") > 8
    assert _one("client_lookup", text).refusal.message == "name of client_lookup must be text"


def test_only_the_follow_up_task_writes():
    assert [name for name, schema in TOOLS.items() if schema.writes] == ["create_follow_up_task"]


def test_the_model_is_told_every_tool_takes_no_argument_it_does_not_name():
    assert all(d["function"]["parameters"]["additionalProperties"] is False for d in definitions())


def test_objects_nesting_a_thousand_deep_in_text_are_refused_as_too_deep():
    text = '{"name": ' + '{"a": ' * 1_000 + "1" + "}" * 1_000 + "}"
    assert _one("client_lookup", text).refusal.message == "the arguments of client_lookup nest deeper than 8 levels"


def test_json_sent_is_strict_and_never_holds_nan():
    from app.domain.tool_calls import dumps_strict

    assert dumps_strict({"a": 1.5}) == '{"a": 1.5}'
    with pytest.raises(ValueError):
        dumps_strict({"a": float("nan")})
