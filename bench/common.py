"""What the benchmarks under bench/ share: the database each one measures on."""

from urllib.parse import urlsplit, urlunsplit


def database_url(args):
    return f"sqlite:///{args.sqlite_path}" if args.database == "sqlite" else args.postgres_url


def create_postgres_database(url):
    import psycopg2
    from psycopg2 import sql

    parts = urlsplit(url)
    name = parts.path.strip("/")
    connection = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    connection.close()
