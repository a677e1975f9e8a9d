def test_landing_page(client):
    response = client.get("/")
    assert response.status_code == 200
    assert b"Register" in response.data


def test_login_lands_on_role_home(client, f):
    adviser = f.user("adviser")
    response = f.login(client, adviser)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/desk")
