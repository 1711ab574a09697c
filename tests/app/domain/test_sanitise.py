from app.domain.sanitise import REDACTED, sanitise


def test_markup_is_removed_and_text_kept():
    assert sanitise({"name": "<b>Bold</b> Industries<script>x()</script>"}) == {"name": "Bold Industriesx()"}


def test_escaped_markup_is_removed_too():
    assert sanitise("&lt;img src=x onerror=y&gt;Acme") == "Acme"


def test_secret_keys_and_secret_looking_values_are_redacted():
    cleaned = sanitise({"password_hash": "abc", "note": "key sk_live_1234567890abcdef here"})
    assert cleaned == {"password_hash": REDACTED, "note": f"key {REDACTED} here"}


def test_long_text_is_bounded():
    assert len(sanitise("x" * 5000)) <= 501


def test_a_list_is_cut_to_its_first_hundred_items_and_no_fewer():
    assert sanitise(list(range(100))) == list(range(100))
    assert sanitise(list(range(101))) == list(range(100))
