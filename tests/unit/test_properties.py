"""The property table is the one source of truth: every copy of a property's facts agrees with it.

Each test below fails when a layer names a property differently from `vapi_provider.properties`: the
Args class and the resource's output attributes (fields, order and docstrings), the name translation,
the provider's key sets, the stack-config parser, the policy pack's name map, recovery's computed
outputs and the table in docs/provider.md.
"""

from __future__ import annotations

import ast
import dataclasses
import inspect
import re
from pathlib import Path

import pytest

from vapi_policies import WIRE_TO_PYTHON_NAMES
from vapi_provider import provider as provider_module
from vapi_provider import resource, stack_config
from vapi_provider.models import parse_phone_number
from vapi_provider.properties import KEEP, PHONE_NUMBER, TABLES, Property, ResourceTable
from vapi_provider.refresh import computed_outputs

REPO = Path(__file__).resolve().parents[2]


def _attribute_docs(cls: type) -> dict[str, tuple[str, str | None]]:
    """name -> (annotation source, attribute docstring) of a class body, in order."""
    tree = ast.parse(inspect.getsource(cls))
    body = tree.body[0]
    assert isinstance(body, ast.ClassDef)
    out: dict[str, tuple[str, str | None]] = {}
    statements = body.body
    for i, node in enumerate(statements):
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            doc = None
            nxt = statements[i + 1] if i + 1 < len(statements) else None
            if isinstance(nxt, ast.Expr) and isinstance(nxt.value, ast.Constant):
                doc = str(nxt.value.value)
            out[node.target.id] = (ast.unparse(node.annotation), doc)
    return out


def test_args_fields_types_and_docs_are_the_tables():
    fields = _attribute_docs(resource.VapiPhoneNumberArgs)
    assert list(fields) == [p.python for p in PHONE_NUMBER.args]
    assert [f.name for f in dataclasses.fields(resource.VapiPhoneNumberArgs)] == list(fields)
    for prop in PHONE_NUMBER.args:
        annotation, doc = fields[prop.python]
        assert doc == prop.doc, prop.python
        inner = prop.type.replace("Sequence[HookArgs]", "Sequence[pulumi.Input[HookArgs]]")
        assert annotation == f"pulumi.Input[{inner}] | None", prop.python


def test_output_attributes_and_docs_are_the_tables():
    attrs = _attribute_docs(resource.VapiPhoneNumber)
    assert list(attrs) == [p.python for p in PHONE_NUMBER]
    for prop in PHONE_NUMBER:
        annotation, doc = attrs[prop.python]
        assert doc == prop.doc, f"{prop.python} has no docstring, or not the table's"
        assert annotation.startswith("pulumi.Output["), prop.python


def test_resource_translation_and_secrets_come_from_the_table():
    phone = resource.VapiPhoneNumber.__new__(resource.VapiPhoneNumber)
    for prop in PHONE_NUMBER:
        assert phone.translate_input_property(prop.python) == prop.wire
        assert phone.translate_output_property(prop.wire) == prop.python
    assert resource._SECRET_PATHS == {"authentication": (("password",),), "server": (("headers", "*"),)}
    props, _opts = resource.build_props_and_opts("line", resource.VapiPhoneNumberArgs(), None)
    for prop in PHONE_NUMBER:
        if prop.role == "output":
            assert props[prop.python] is None, "output-only keys are seeded so that the output exists"


def test_provider_key_sets_come_from_the_table():
    assert provider_module.API_INPUT_KEYS == tuple(p.wire for p in PHONE_NUMBER if p.role == "api")
    assert provider_module.OWN_INPUT_KEYS == tuple(p.wire for p in PHONE_NUMBER if p.role == "own")
    assert provider_module.OUTPUT_ONLY_KEYS == ("orgId", "number", "status", "createdAt", "updatedAt")
    assert PHONE_NUMBER.replace_keys == ("numberDesiredAreaCode",)
    assert PHONE_NUMBER.kept_keys == ("name", "numberDesiredAreaCode", "sipUri")
    assert PHONE_NUMBER.cleared == {
        "authentication": None,
        "assistantId": None,
        "squadId": None,
        "workflowId": None,
        "server": None,
        "fallbackDestination": None,
        "hooks": [],
    }


def test_stack_config_keys_are_the_tables_settable_inputs():
    assert stack_config.ENTRY_KEYS == {p.wire: p.python for p in PHONE_NUMBER.args}
    assert "autonamePrefix" not in stack_config.ENTRY_KEYS


def test_policy_pack_names_agree_with_the_tables():
    for table in TABLES:
        for wire, python in table.wire_to_python.items():
            assert WIRE_TO_PYTHON_NAMES[wire] == python


def test_recovery_and_refresh_record_the_tables_outputs():
    number = parse_phone_number(
        {
            "id": "n-1",
            "orgId": "o",
            "provider": "vapi",
            "createdAt": "2026-01-01T00:00:00.000Z",
            "updatedAt": "2026-01-01T00:00:00.000Z",
            "status": "active",
            "number": "+14155550100",
        }
    )
    outputs = computed_outputs(PHONE_NUMBER, number)
    assert list(outputs) == list(PHONE_NUMBER.output_keys)
    assert outputs["number"] == "+14155550100" and outputs["orgId"] == "o"


def test_docs_property_table_is_the_tables():
    text = (REPO / "docs" / "provider.md").read_text()
    match = re.search(
        r"<!-- property-table: VapiPhoneNumber -->\n(.*?)\n<!-- /property-table -->", text, re.S
    )
    assert match, "docs/provider.md lost its property-table markers"
    assert match.group(1) == PHONE_NUMBER.markdown_table(), (
        "docs/provider.md's property table differs from vapi_provider/properties.py; paste "
        "PHONE_NUMBER.markdown_table() between the markers"
    )


def test_a_table_refuses_duplicate_names():
    prop = Property("a", "a", "str", "api", "doc")
    try:
        ResourceTable("X", "vapi", (prop, prop))
    except ValueError as err:
        assert "unique" in str(err)
    else:
        raise AssertionError("duplicate names were accepted")


def test_every_api_input_says_what_removing_it_does():
    for prop in PHONE_NUMBER:
        if prop.role == "api":
            assert prop.cleared is KEEP or prop.cleared in (None, []), prop.wire


# --- every kind of number: the same checks for each table ------------------------------------------

BY_TABLE = [pytest.param(table, id=table.resource) for table in TABLES]


def _classes(table: ResourceTable) -> tuple[type, type, type]:
    return (
        getattr(resource, table.resource),
        getattr(resource, f"{table.resource}Args"),
        getattr(provider_module, f"{table.resource}Provider"),
    )


@pytest.mark.parametrize("table", BY_TABLE)
def test_each_kinds_args_outputs_and_keyword_form_are_its_tables(table: ResourceTable) -> None:
    cls, args_cls, provider_cls = _classes(table)
    fields = _attribute_docs(args_cls)
    assert list(fields) == [p.python for p in table.args]
    assert [f.name for f in dataclasses.fields(args_cls)] == list(fields)
    for prop in table.args:
        annotation, doc = fields[prop.python]
        assert doc == prop.doc, prop.python
        inner = prop.type.replace("Sequence[HookArgs]", "Sequence[pulumi.Input[HookArgs]]")
        assert annotation == f"pulumi.Input[{inner}] | None", prop.python
    attrs = _attribute_docs(cls)
    assert [a for a in attrs if not a.startswith("_")] == [p.python for p in table]
    for prop in table:
        annotation, doc = attrs[prop.python]
        assert doc == prop.doc and annotation.startswith("pulumi.Output["), prop.python
    overloads = [
        node
        for node in ast.parse(inspect.getsource(cls)).body[0].body  # type: ignore[attr-defined]
        if isinstance(node, ast.FunctionDef) and node.name == "__init__" and node.decorator_list
    ]
    assert [a.arg for a in overloads[1].args.kwonlyargs] == [p.python for p in table.args]
    assert cls._TABLE is table and cls._ARGS is args_cls and cls._PROVIDER is provider_cls
    assert provider_cls.TABLE is table


@pytest.mark.parametrize("table", BY_TABLE)
def test_each_kinds_translation_secrets_and_seeds_come_from_its_table(table: ResourceTable) -> None:
    cls, args_cls, _provider = _classes(table)
    phone = cls.__new__(cls)
    for prop in table:
        assert phone.translate_input_property(prop.python) == prop.wire
        assert phone.translate_output_property(prop.wire) == prop.python
    props, _opts = resource.build_props_and_opts("line", args_cls(), None, table)
    for prop in table:
        if prop.role == "output":
            assert props[prop.python] is None, prop.python
    assert f"pulumi-python:{cls._resource_type_name}" == f"pulumi-python:dynamic/vapi:{table.resource}"


@pytest.mark.parametrize("table", BY_TABLE)
def test_each_kinds_docs_property_table_is_its_tables(table: ResourceTable) -> None:
    text = (REPO / "docs" / "provider.md").read_text()
    pattern = rf"<!-- property-table: {table.resource} -->\n(.*?)\n<!-- /property-table -->"
    match = re.search(pattern, text, re.S)
    assert match, f"docs/provider.md has no property-table markers for {table.resource}"
    assert match.group(1) == table.markdown_table(), (
        f"docs/provider.md's {table.resource} table differs from vapi_provider/properties.py; paste "
        f"{table.resource}'s markdown_table() between the markers"
    )


@pytest.mark.parametrize("table", BY_TABLE)
def test_each_kinds_inputs_say_what_removing_them_does_and_secrets_are_declared(table: ResourceTable) -> None:
    for prop in table:
        if prop.role == "api":
            assert prop.cleared is KEEP or prop.cleared in (None, []), prop.wire
    assert set(table.output_keys) >= {"orgId", "status", "createdAt", "updatedAt"}
    assert table.by_wire("server").secret_paths == (("headers", "*"),)


def test_imported_kinds_replace_on_number_and_carrier_account_and_have_no_allow_release() -> None:
    replaces = {t.resource: t.replace_keys for t in TABLES}
    assert replaces == {
        "VapiPhoneNumber": ("numberDesiredAreaCode",),
        "TwilioPhoneNumber": ("number", "twilioAccountSid"),
        "VonagePhoneNumber": ("number", "credentialId"),
        "TelnyxPhoneNumber": ("number", "credentialId"),
        "ByoPhoneNumber": ("number", "credentialId"),
    }
    for table in TABLES[1:]:
        assert "allowRelease" not in table.input_keys and "activationTimeoutSeconds" not in table.input_keys
    assert set(TABLES[1].secret_keys) == {"server", "twilioAuthToken", "twilioApiSecret"}


def test_shared_properties_are_the_same_objects_in_every_table() -> None:
    for wire in ("name", "assistantId", "squadId", "workflowId", "server", "fallbackDestination", "hooks"):
        assert len({id(t.by_wire(wire)) for t in TABLES}) == 1, wire
