"""Pages travel compressed to a browser that accepts it (GZipMiddleware)."""

import gzip


def test_a_page_is_compressed_for_a_browser_that_accepts_gzip(client, plan):
    response = client.get("/es/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert b"<html" in gzip.decompress(response.content)


def test_a_page_is_plain_for_a_client_that_does_not_accept_it(client, plan):
    response = client.get("/es/")
    assert response.status_code == 200
    assert not response.has_header("Content-Encoding")
