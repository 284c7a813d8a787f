"""Storage: SQLModel tables (``tables``), the async engine (``db``), small async repository functions
(``keys``, ``sessions``) and the Alembic migrations (``migrations``, applied by ``migrate``).

Repository functions take an ``AsyncSession`` and flush but never commit: the caller (a request
handler, a command) owns the transaction.
"""
