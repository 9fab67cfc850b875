from tests.conftest import PASSWORD


def test_it_locks_a_username_out_after_five_failed_logins(officer_a, client):
    for _ in range(5):
        response = client.post(
            "/accounts/login/", {"username": "officer_a", "password": "sai-mat-khau"}
        )
    # Even the right password is refused while locked out.
    response = client.post("/accounts/login/", {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_logs_in_after_a_few_failures(officer_a, client):
    for _ in range(3):
        client.post("/accounts/login/", {"username": "officer_a", "password": "sai-mat-khau"})
    response = client.post("/accounts/login/", {"username": "officer_a", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer_a.pk)
