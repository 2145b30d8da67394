"""Issue 10 (OpenAPI): unique, stable operation ids; each endpoint publishes its own schemas."""

import collections

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    from borderdesk.api import api

    return api.get_openapi_schema()


def test_operation_ids_are_unique(schema):
    ids = collections.Counter(op["operationId"] for methods in schema["paths"].values() for op in methods.values())
    assert len(ids) > 70
    assert {k: n for k, n in ids.items() if n > 1} == {}


def test_operation_ids_are_stable(schema):
    ops = {
        (path, method): op["operationId"] for path, methods in schema["paths"].items() for method, op in methods.items()
    }
    assert ops[("/api/frontier/markers", "get")] == "frontier_markers_list"
    assert ops[("/api/frontier/markers/{pk}", "put")] == "frontier_markers_update"
    assert ops[("/api/org/agencies/{agency_id}/rename", "post")] == "org_rename_agency"
    assert ops[("/api/org/agencies/{agency_id}/rename", "patch")] == "org_rename_agency_patch"


def test_data_value_import_publishes_its_own_schema(schema):
    ref = schema["paths"]["/api/reporting/dataValueSets"]["post"]["responses"][200]["content"]["application/json"][
        "schema"
    ]["$ref"]
    props = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"]
    assert set(props) == {"imported", "submissions"}
    ref = schema["paths"]["/api/extraction/documents/{document_id}/import"]["post"]["responses"][200]["content"][
        "application/json"
    ]["schema"]["$ref"]
    assert "imported" not in schema["components"]["schemas"][ref.rsplit("/", 1)[1]]["properties"] or ref.endswith(
        "ProposalImportOut"
    )
