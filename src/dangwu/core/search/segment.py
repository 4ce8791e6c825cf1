"""Chinese word segmentation with jieba, the same at index time and at query time.

jieba's dictionary costs about 0.6 s and 80 MB to load, so it is loaded once per process, on
first use, under a lock (gunicorn's ``--preload`` shares it between workers copy-on-write). The
domain dictionary in ``data/userdict.txt`` makes terms such as 三会一课 or 入党申请书 single
tokens; without it jieba splits some of them and recall drops (STACK.md §2).

Text is NFKC-normalized and lower-cased first: PDF text often carries Kangxi radicals (U+2F00
"⼀" for "一") and full-width Latin letters. Tokens keep only letters and digits, so SQLite's
``unicode61`` tokenizer and PostgreSQL's ``simple`` parser split the space-joined string exactly
where jieba did.
"""

from __future__ import annotations

import logging
import re
import tempfile
import threading
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import jieba
from django.conf import settings

USER_DICTIONARY = Path(__file__).parent / "data" / "userdict.txt"
# Enough for any real query; a pasted paragraph would otherwise become hundreds of ANDed terms.
MAX_QUERY_TERMS = 12
MAX_QUERY_LENGTH = 100

_WORD = re.compile(r"[^\W_]+")
_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None


def _cache_dir() -> str:
    """Return where jieba keeps its prefix-dictionary cache (not the shared /tmp)."""
    data_dir = getattr(settings, "DATA_DIR", None)
    if data_dir is None:
        return tempfile.gettempdir()
    cache = Path(data_dir) / "cache"
    try:
        cache.mkdir(parents=True, exist_ok=True)
    except OSError:
        # A read-only data directory still searches; the cache is only a start-up speed-up.
        return tempfile.gettempdir()
    return str(cache)


def tokenizer() -> jieba.Tokenizer:
    """Return the process's jieba tokenizer with the domain dictionary, loading it once."""
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                tok = jieba.Tokenizer()
                tok.tmp_dir = _cache_dir()
                tok.initialize()
                tok.load_userdict(str(USER_DICTIONARY))
                _tokenizer = tok
    return _tokenizer


def normalize(text: str) -> str:
    """Return ``text`` NFKC-normalized and lower-cased, as it is segmented."""
    return unicodedata.normalize("NFKC", text).lower()


def _words(text: str) -> Iterator[str]:
    # HMM=False: unknown runs split by the dictionary alone, so a query segments the way the
    # same words did inside a longer text (the HMM guesses differently with context).
    for token in tokenizer().cut(normalize(text), HMM=False):
        yield from _WORD.findall(token)


def index_tokens(text: str) -> str:
    """Return the space-joined tokens stored for ``text``.

    Each word is followed by every dictionary word inside it (组织生活会 → 组织, 生活, 组织生活,
    ...), a superset of jieba's search mode, so a query for a word inside a compound still finds
    it.
    """
    freq = tokenizer().FREQ
    out: list[str] = []
    for word in _words(text):
        length = len(word)
        for n in range(2, length):
            for i in range(length - n + 1):
                gram = word[i : i + n]
                if freq.get(gram):
                    out.append(gram)
        out.append(word)
    return " ".join(out)


def query_terms(query: str) -> list[str]:
    """Return the distinct words of a user's query, in order; every one must match."""
    terms: list[str] = []
    for word in _words(query[:MAX_QUERY_LENGTH]):
        if word not in terms:
            terms.append(word)
    return terms[:MAX_QUERY_TERMS]
