"""Languages: codes, names, the words translated documents print, and fingerprints.

The one owner of what a language code looks like (``fr``, ``es``, ``zh-Hans``: a BCP 47
tag, lower-case language subtag first), of a language's name in each of the United
Nations' six official languages (for "Original: English" and the app), of the few fixed
phrases a translated export prints ("[Not yet translated]"), and of the fingerprint that
ties a translation to the exact source text it translates. Pure: no I/O.
"""

from __future__ import annotations

import hashlib
import re

#: a language code: a BCP 47 tag such as ``fr``, ``es``, ``zh-Hans``, ``pt-BR``
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8}){0,3}\Z")
#: a fingerprint as written in translation files: 16 lower-case hexadecimal digits
FINGERPRINT = re.compile(r"^[0-9a-f]{16}\Z")

#: the United Nations' official languages (those of the Convention on Cluster Munitions)
UN_LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")

#: a language's name, in English and as each UN language writes it
NAMES: dict[str, dict[str, str]] = {
    "en": {"ar": "Arabic", "zh": "Chinese", "en": "English", "fr": "French", "ru": "Russian", "es": "Spanish"},
    "fr": {"ar": "arabe", "zh": "chinois", "en": "anglais", "fr": "français", "ru": "russe", "es": "espagnol"},
    "es": {"ar": "árabe", "zh": "chino", "en": "inglés", "fr": "francés", "ru": "ruso", "es": "español"},
    "ru": {
        "ar": "арабский",
        "zh": "китайский",
        "en": "английский",
        "fr": "французский",
        "ru": "русский",
        "es": "испанский",
    },
    "zh": {"ar": "阿拉伯文", "zh": "中文", "en": "英文", "fr": "法文", "ru": "俄文", "es": "西班牙文"},
    "ar": {
        "ar": "بالعربية",
        "zh": "بالصينية",
        "en": "بالإنكليزية",
        "fr": "بالفرنسية",
        "ru": "بالروسية",
        "es": "بالإسبانية",
    },
}
#: English names of other common languages (the app and the CLI show these)
OTHER_NAMES = {
    "de": "German",
    "it": "Italian",
    "ja": "Japanese",
    "ko": "Korean",
    "nl": "Dutch",
    "pt": "Portuguese",
    "sw": "Swahili",
    "tr": "Turkish",
    "uk": "Ukrainian",
}

#: the fixed phrases of translated documents, in each UN language (English elsewhere)
PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "untranslated": "[Not yet translated]",
        "update": "[Translation to be updated]",
        "earlier": "[Translation of an earlier text]",
        "original": "Original: {name}",
        "submitted_by": "Submitted by the President",
    },
    "fr": {
        "untranslated": "[Non encore traduit]",
        "update": "[Traduction à mettre à jour]",
        "earlier": "[Traduction d’une version antérieure du texte]",
        "original": "Original : {name}",
        "submitted_by": "Présenté par le Président",
    },
    "es": {
        "untranslated": "[Pendiente de traducción]",
        "update": "[Traducción pendiente de actualización]",
        "earlier": "[Traducción de una versión anterior del texto]",
        "original": "Original: {name}",
        "submitted_by": "Presentado por el Presidente",
    },
    "ru": {
        "untranslated": "[Перевод не подготовлен]",
        "update": "[Перевод подлежит обновлению]",
        "earlier": "[Перевод предыдущей редакции текста]",
        "original": "Язык оригинала: {name}",
        "submitted_by": "Представлено Председателем",
    },
    "zh": {
        "untranslated": "[尚未翻译]",
        "update": "[译文有待更新]",
        "earlier": "[先前案文的译文]",
        "original": "原件：{name}",
        "submitted_by": "主席提交",
    },
    "ar": {
        "untranslated": "[لم تُترجم بعد]",
        "update": "[الترجمة بحاجة إلى تحديث]",
        "earlier": "[ترجمة لنص سابق]",
        "original": "الأصل: {name}",
        "submitted_by": "مقدم من الرئيس",
    },
}


def is_language(code: object) -> bool:
    return isinstance(code, str) and bool(LANGUAGE_CODE.match(code))


def primary(code: str) -> str:
    """The language subtag: ``zh`` of ``zh-Hans``."""
    return code.split("-", 1)[0]


def name(code: str, *, in_language: str = "en") -> str:
    """The language's name (in English unless ``in_language`` is another UN language):
    ``name("fr")`` is "French"; a code drafting has no name for stays the code."""
    table = NAMES.get(primary(in_language), NAMES["en"])
    found = table.get(primary(code)) or (OTHER_NAMES.get(primary(code)) if table is NAMES["en"] else None)
    if found is None:
        found = NAMES["en"].get(primary(code)) or OTHER_NAMES.get(primary(code))
    return found or code


def label(code: str) -> str:
    """For pickers and tables: "French (fr)"."""
    n = name(code)
    return f"{n} ({code})" if n != code else code


def phrase(language: str, key: str) -> str:
    """A fixed phrase of translated documents in ``language`` (English where drafting has
    none in that language)."""
    return PHRASES.get(primary(language), PHRASES["en"])[key]


def original_line(target: str, source: str) -> str:
    """The line a translated UN document carries under its symbol: "Original : anglais"."""
    lang = primary(target) if primary(target) in PHRASES else "en"
    return phrase(lang, "original").format(name=name(source, in_language=lang))


def fingerprint(text: str) -> str:
    """The fingerprint of a source paragraph's text (as stored: NFC, single spaces):
    16 hexadecimal digits of its BLAKE2b digest. A translation records the fingerprint of
    the text it translates; when the text changes, the translation is stale."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
