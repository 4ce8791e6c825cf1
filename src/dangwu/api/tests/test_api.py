"""The API as a whole: its published schema, its authentication schemes and error shapes."""

import pytest

OPERATIONS = {
    ("post", "/api/v1/auth/token"),
    ("get", "/api/v1/auth/tokens"),
    ("delete", "/api/v1/auth/tokens/{token_id}"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/organizations"),
    ("get", "/api/v1/organizations/{org_id}"),
    ("get", "/api/v1/organizations/{org_id}/subtree"),
    ("get", "/api/v1/members"),
    ("get", "/api/v1/members/{member_id}"),
    ("post", "/api/v1/members/{member_id}/reveal"),
    ("get", "/api/v1/portal/columns"),
    ("get", "/api/v1/portal/columns/{column_id}"),
    ("get", "/api/v1/portal/articles"),
    ("post", "/api/v1/portal/articles"),
    ("get", "/api/v1/portal/articles/{article_id}"),
    ("patch", "/api/v1/portal/articles/{article_id}"),
    ("post", "/api/v1/portal/articles/{article_id}/submit"),
    ("post", "/api/v1/portal/articles/{article_id}/return"),
    ("post", "/api/v1/portal/articles/{article_id}/publish"),
    ("post", "/api/v1/portal/articles/{article_id}/withdraw"),
    ("get", "/api/v1/portal/articles/{article_id}/revisions"),
    ("get", "/api/v1/portal/articles/{article_id}/visits"),
    ("get", "/api/v1/portal/my/articles"),
    ("get", "/api/v1/portal/my/articles/{article_id}"),
    ("get", "/api/v1/search"),
    ("get", "/api/v1/archive/catalogue.xlsx"),
    ("get", "/api/v1/archive/items"),
    ("get", "/api/v1/archive/items/{item_id}"),
    ("get", "/api/v1/archive/search"),
    ("get", "/api/v1/documents"),
    ("get", "/api/v1/documents/{document_id}"),
    ("get", "/api/v1/documents/{document_id}/figures"),
    ("get", "/api/v1/documents/{document_id}/pdf"),
    ("get", "/api/v1/documents/{document_id}/receipts"),
    ("get", "/api/v1/incoming/documents"),
    ("get", "/api/v1/incoming/documents/{document_id}"),
    ("get", "/api/v1/mail/files/{key}"),
    ("get", "/api/v1/mail/inbox"),
    ("get", "/api/v1/mail/messages/{message_id}"),
    ("get", "/api/v1/mail/messages/{message_id}/readers"),
    ("get", "/api/v1/mail/notifications"),
    ("get", "/api/v1/mail/preferences"),
    ("get", "/api/v1/mail/sent"),
    ("get", "/api/v1/receipts"),
    ("get", "/api/v1/receipts/{receipt_id}"),
    ("patch", "/api/v1/documents/{document_id}"),
    ("post", "/api/v1/archive/items"),
    ("post", "/api/v1/archive/items/{item_id}/rearchive"),
    ("post", "/api/v1/documents"),
    ("post", "/api/v1/documents/{document_id}/distribute"),
    ("post", "/api/v1/documents/{document_id}/files"),
    ("post", "/api/v1/documents/{document_id}/return"),
    ("post", "/api/v1/documents/{document_id}/review"),
    ("post", "/api/v1/documents/{document_id}/sign"),
    ("post", "/api/v1/documents/{document_id}/submit"),
    ("post", "/api/v1/incoming/documents"),
    ("post", "/api/v1/incoming/documents/{document_id}/assign"),
    ("post", "/api/v1/incoming/documents/{document_id}/circulate"),
    ("post", "/api/v1/incoming/documents/{document_id}/complete"),
    ("post", "/api/v1/incoming/documents/{document_id}/files"),
    ("post", "/api/v1/incoming/documents/{document_id}/instruct"),
    ("post", "/api/v1/incoming/documents/{document_id}/propose"),
    ("post", "/api/v1/incoming/documents/{document_id}/read"),
    ("post", "/api/v1/mail/messages"),
    ("post", "/api/v1/mail/messages/{message_id}/forward"),
    ("post", "/api/v1/mail/messages/{message_id}/read"),
    ("post", "/api/v1/mail/messages/{message_id}/reply"),
    ("post", "/api/v1/mail/notifications/read-all"),
    ("post", "/api/v1/mail/notifications/{notification_id}/read"),
    ("post", "/api/v1/receipts/{receipt_id}/handle"),
    ("post", "/api/v1/receipts/{receipt_id}/reply"),
    ("post", "/api/v1/receipts/{receipt_id}/sign"),
    ("put", "/api/v1/mail/preferences"),
    # exams
    ("get", "/api/v1/exams"),
    ("get", "/api/v1/exams/{exam_id}"),
    ("patch", "/api/v1/exams/{exam_id}"),
    ("post", "/api/v1/exams/{exam_id}/attempts"),
    ("get", "/api/v1/exams/{exam_id}/statistics"),
    ("get", "/api/v1/attempts/{attempt_id}"),
    ("put", "/api/v1/attempts/{attempt_id}/answers/{question_id}"),
    ("post", "/api/v1/attempts/{attempt_id}/submit"),
    ("get", "/api/v1/attempts/{attempt_id}/result"),
    ("get", "/api/v1/question-bank/export.xlsx"),
    ("post", "/api/v1/question-bank/import"),
    ("get", "/api/v1/school/courses"),
    ("get", "/api/v1/school/courses/{course_id}"),
    ("get", "/api/v1/school/lessons/{lesson_id}"),
    ("post", "/api/v1/school/lessons/{lesson_id}/progress"),
    ("get", "/api/v1/school/my/hours"),
    ("get", "/api/v1/school/my/progress"),
    ("get", "/api/v1/training/obligations"),
    ("get", "/api/v1/training/plans"),
    ("post", "/api/v1/training/plans"),
    ("get", "/api/v1/training/plans/{plan_id}"),
    ("post", "/api/v1/training/plans/{plan_id}/publish"),
    ("post", "/api/v1/training/plans/{plan_id}/close"),
    ("get", "/api/v1/training/plans/{plan_id}/completion"),
    ("get", "/api/v1/training/plans/{plan_id}/completion/people"),
    ("get", "/api/v1/training/typing/texts"),
    ("post", "/api/v1/training/typing/texts/{text_id}/start"),
    ("get", "/api/v1/training/typing/results"),
    ("post", "/api/v1/training/typing/results"),
    ("get", "/api/v1/library/books"),
    ("get", "/api/v1/library/books/{book_id}"),
    ("get", "/api/v1/library/books/{book_id}/chapters/{number}"),
    ("get", "/api/v1/library/progress"),
    ("post", "/api/v1/library/progress"),
    ("get", "/api/v1/library/bookmarks"),
    ("post", "/api/v1/library/bookmarks"),
    ("delete", "/api/v1/library/bookmarks/{bookmark_id}"),
    ("get", "/api/v1/library/folders"),
    ("get", "/api/v1/library/folders/{folder_id}/files"),
    ("post", "/api/v1/library/folders/{folder_id}/files"),
    ("get", "/api/v1/library/files/{file_id}/download"),
    ("get", "/api/v1/library/files/search"),
    ("post", "/api/v1/submissions"),
    ("get", "/api/v1/submissions/mine"),
    ("get", "/api/v1/submissions/inbox"),
    ("get", "/api/v1/submissions/ranking"),
    ("get", "/api/v1/submissions/{submission_id}"),
    ("post", "/api/v1/submissions/{submission_id}/files"),
    ("post", "/api/v1/submissions/{submission_id}/submit"),
    ("post", "/api/v1/submissions/{submission_id}/adopt"),
    ("post", "/api/v1/submissions/{submission_id}/return"),
    ("post", "/api/v1/submissions/{submission_id}/decline"),
}


@pytest.fixture
def schema(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def test_openapi_schema_is_served_without_signing_in_and_lists_every_operation(schema):
    assert {(method, path) for method, path, _ in operations(schema)} == OPERATIONS


def test_schema_offers_token_and_session_authentication(schema):
    schemes = schema["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"} in schemes.values()
    assert {"type": "apiKey", "in": "cookie", "name": "sessionid"} in schemes.values()


def test_every_operation_documents_the_errors_it_can_return(schema):
    for method, path, operation in operations(schema):
        codes = set(operation["responses"])
        if operation.get("parameters") or "requestBody" in operation:
            assert "422" in codes, (method, path)
        if "requestBody" in operation:
            assert "400" in codes, (method, path)  # a body that is not JSON at all
        if (method, path) == ("post", "/api/v1/auth/token"):
            assert {"401", "429"} <= codes
            assert operation.get("security") in (None, [])
            continue
        assert "401" in codes, (method, path)
        if method != "get":
            assert "403" in codes, (method, path)  # the session's CSRF check
        if "{" in path:
            assert "404" in codes, (method, path)


def test_list_operations_are_paginated(schema):
    for path in (
        "/api/v1/organizations",
        "/api/v1/members",
        "/api/v1/portal/columns",
        "/api/v1/portal/articles",
        "/api/v1/portal/my/articles",
    ):
        parameters = {p["name"] for p in schema["paths"][path]["get"]["parameters"]}
        assert {"limit", "offset"} <= parameters


def test_member_schemas_carry_only_masked_personal_values(schema):
    for name in ("MemberOut", "MemberDetailOut"):
        fields = set(schema["components"]["schemas"][name]["properties"])
        assert {"id_number_masked", "phone_masked"} <= fields
        assert not {"id_number", "phone"} & fields


def test_the_docs_page_that_would_load_a_cdn_is_not_served(client, db):
    assert client.get("/api/v1/docs").status_code == 404


def test_forbidden_is_json_with_a_reason(api_as):
    response = api_as("auditor").get("/api/v1/organizations")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]
