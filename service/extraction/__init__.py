"""Extraction: text → sentences → actor mentions → attribution → topic cues → Evidence.

Pure functions of (document text, date, lexicon); nothing here touches the database,
Flask or the network, so the same code serves ingest, re-extraction and `demarche eval`.
"""

from service.extraction.extract import Evidence, extract
from service.extraction.lexicon import Lexicon, load_lexicon
from service.extraction.specs import ActorSpec, AliasSpec, CueSpec, TopicSpec
from service.extraction.stances import document_stances

EXTRACTOR_VERSION = "1.0.0"

__all__ = [
    "EXTRACTOR_VERSION",
    "ActorSpec",
    "AliasSpec",
    "CueSpec",
    "Evidence",
    "Lexicon",
    "TopicSpec",
    "document_stances",
    "extract",
    "load_lexicon",
]
