"""Secrets never show in repr, str, pickles or log records."""

from __future__ import annotations

import copy
import logging
import pickle
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from generator.runtime._redact import MASK, RedactingFilter, Secret, redact

KEY = "AKIA-very-secret-key"
TOKEN = "tok_9f8e7d"


# --- Secret -----------------------------------------------------------------------


def test_secret_hides_itself() -> None:
    secret = Secret(KEY)
    assert repr(secret) == str(secret) == f"{secret}" == "***"
    assert KEY not in f"{secret!r} {secret!s} {[secret]} {({'k': secret})}"
    assert secret.get() == KEY


def test_secret_inside_a_dataclass_repr() -> None:
    @dataclass(frozen=True)
    class Credentials:
        user: str
        password: Secret

    assert repr(Credentials("api@org.com", Secret("hunter2"))) == (
        "test_secret_inside_a_dataclass_repr.<locals>.Credentials"
        "(user='api@org.com', password=***)"
    )


def test_secret_equality_hash_and_truth() -> None:
    assert Secret("a") == Secret("a")
    assert Secret("a") != Secret("b")
    assert Secret("a") != "a"  # a plain string is not silently equal to a secret
    assert len({Secret("a"), Secret("a")}) == 1
    assert Secret("x") and not Secret("")


def test_secret_cannot_be_pickled_but_can_be_copied() -> None:
    secret = Secret(KEY)
    with pytest.raises(TypeError, match="pickled"):
        pickle.dumps(secret)
    assert copy.copy(secret) is secret
    assert copy.deepcopy({"key": secret})["key"] == secret


# --- redact -----------------------------------------------------------------------


def test_redact_replaces_every_occurrence() -> None:
    text = f"key={KEY} token={TOKEN} again {KEY}"
    assert redact(text, [KEY, TOKEN]) == "key=*** token=*** again ***"


def test_redact_longest_first() -> None:
    # The short secret is a prefix of the long one: the long one is masked whole.
    assert redact("abcd123 and abcd", ["abcd", "abcd123"]) == "*** and ***"
    assert redact("abcd123 and abcd", ["abcd123", "abcd"]) == "*** and ***"


def test_redact_leaves_text_alone_for_secrets_under_four_characters() -> None:
    text = "update failed: upd, pd and p"
    assert redact(text, ["p", "pd", "upd", Secret("d")]) == text
    assert redact("key=abcd", ["abcd", "p"]) == "key=***"
    assert repr(Secret("k")) == str(Secret("k")) == MASK


def test_redact_ignores_empty_secrets_and_accepts_secret_objects() -> None:
    assert redact("nothing here", ["", Secret("")]) == "nothing here"
    assert redact(f"Bearer {TOKEN}", [Secret(TOKEN)]) == "Bearer ***"


def test_redact_masks_encoded_forms() -> None:
    password = 'p@ss"word/1'
    body = '{"password": "p@ss\\"word/1"}'
    url = "https://x/?password=p%40ss%22word%2F1"
    assert password not in redact(password, [password])
    assert redact(body, [password]) == '{"password": "***"}'
    assert redact(url, [password]) == "https://x/?password=***"


def test_redact_treats_secrets_literally() -> None:
    assert redact("a.bc a+bc", ["a+bc"]) == "a.bc ***"


# --- RedactingFilter --------------------------------------------------------------


@pytest.fixture
def logger() -> Iterator[logging.Logger]:
    log = logging.getLogger("routegen-test.redact")
    log.setLevel(logging.DEBUG)
    yield log
    log.filters.clear()  # the logger is process-global: leave it as found


def test_filter_masks_message_and_args(
    logger: logging.Logger, caplog: pytest.LogCaptureFixture
) -> None:
    current = [KEY]
    logger.addFilter(RedactingFilter(lambda: current))
    with caplog.at_level(logging.DEBUG, logger=logger.name):
        logger.info("sending x-api-key=%s to %s", KEY, "/machines")
        current.append(TOKEN)  # a renewed token is picked up without reinstalling
        logger.debug(f"token {TOKEN} for key {KEY}")
    assert [r.getMessage() for r in caplog.records] == [
        "sending x-api-key=*** to /machines",
        "token *** for key ***",
    ]
    assert all(r.args is None for r in caplog.records)
    assert KEY not in caplog.text and TOKEN not in caplog.text


def test_filter_masks_tracebacks(
    logger: logging.Logger, caplog: pytest.LogCaptureFixture
) -> None:
    logger.addFilter(RedactingFilter(lambda: [Secret(TOKEN)]))
    with caplog.at_level(logging.ERROR, logger=logger.name):
        try:
            raise RuntimeError(f"server rejected {TOKEN}")
        except RuntimeError:
            logger.exception("call failed")
    assert "RuntimeError: server rejected ***" in caplog.text
    assert TOKEN not in caplog.text


def test_filter_survives_a_bad_format(
    logger: logging.Logger, caplog: pytest.LogCaptureFixture
) -> None:
    logger.addFilter(RedactingFilter(lambda: [KEY]))
    with caplog.at_level(logging.INFO, logger=logger.name):
        logger.info("two %s %s but one arg", KEY)
    assert KEY not in caplog.text
    assert MASK in caplog.records[0].getMessage()


def test_filter_without_secrets_leaves_records_alone(
    logger: logging.Logger, caplog: pytest.LogCaptureFixture
) -> None:
    logger.addFilter(RedactingFilter(lambda: ["", Secret("")]))
    with caplog.at_level(logging.INFO, logger=logger.name):
        logger.info("page %d of %d", 1, 3)
    assert caplog.records[0].args == (1, 3)
    assert caplog.records[0].getMessage() == "page 1 of 3"


def test_filter_on_a_handler_covers_child_loggers(logger: logging.Logger) -> None:
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    handler.addFilter(RedactingFilter(lambda: [KEY]))
    logger.addHandler(handler)
    try:
        logging.getLogger(f"{logger.name}.child").warning("key %s", KEY)
    finally:
        logger.removeHandler(handler)
    assert [r.getMessage() for r in records] == ["key ***"]
