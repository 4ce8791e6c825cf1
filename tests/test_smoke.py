def test_secretary_sees_member_list_of_own_organization_only(client_for, world):
    response = client_for("secretary").get("/orgs/members/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "党员乙" in body
    assert "党员丁" not in body
