"""packgen: accessible DOCX, PDF and HTML document packs from one source."""

__version__ = "0.1.0"
