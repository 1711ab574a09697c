"""One account however its address is written: case, compatibility forms, and a domain in its own letters or in
its ASCII-compatible encoding (IDNA), with the dots of other scripts."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.domain.accounts import account_email


@pytest.mark.parametrize(
    "written",
    [
        "jörg@bücher.example",
        "Jörg@Bücher.Example",
        "jörg@xn--bcher-kva.example",
        "JÖRG@XN--BCHER-KVA.EXAMPLE",
        "jörg@bücher\u3002example",
        "jörg@bücher\uff61example",
        "jörg@ｂüｃｈｅｒ．example",
    ],
)
def test_a_domain_in_its_own_letters_or_in_ascii_is_one_account(written):
    assert account_email(written) == "jörg@bücher.example"


@pytest.mark.parametrize(
    "written",
    [
        "sam@acme.example.com",
        "x@xn--",  # no letters encoded
        "x@xn--abc-.example",  # letters all ASCII: never encoded so
        "x@xn--bcher-kva-.example",  # not an encoding at all
        "x@xn--zz.example",
    ],
)
def test_a_label_that_is_no_encoding_of_other_letters_is_kept_as_written(written):
    assert account_email(written) == written


def test_only_the_domain_is_decoded_a_local_part_like_an_encoding_is_kept():
    assert account_email("xn--bcher-kva@example.com") == "xn--bcher-kva@example.com"


LETTERS = st.text(
    st.characters(min_codepoint=0xC0, max_codepoint=0x24F, categories=["Ll"]), min_size=1, max_size=12
).filter(lambda label: unicodedata.normalize("NFKC", label).casefold() == label)


@given(LETTERS, st.text("abcdefghij", max_size=5))
def test_every_label_written_in_its_encoding_names_the_same_account(letters, ascii_part):
    label = ascii_part + letters
    encoded = "xn--" + label.encode("punycode").decode("ascii")
    assert account_email(f"ana@{encoded}.example") == account_email(f"ana@{label}.example") == f"ana@{label}.example"
