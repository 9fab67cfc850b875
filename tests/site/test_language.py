def test_it_speaks_vietnamese_to_an_english_browser(db, client):
    response = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.wsgi_request.LANGUAGE_CODE == "vi"
    assert '<html lang="vi">' in response.content.decode()


def test_it_switches_to_english_when_the_user_chooses_it(db, client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    response = client.get("/accounts/login/")
    assert response.wsgi_request.LANGUAGE_CODE == "en"
    assert '<html lang="en">' in response.content.decode()


def test_it_ignores_an_unknown_language_cookie(db, client):
    client.cookies["django_language"] = "fr"
    response = client.get("/accounts/login/")
    assert response.wsgi_request.LANGUAGE_CODE == "vi"
