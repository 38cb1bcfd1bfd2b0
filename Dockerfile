FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY archive ./archive
COPY documents ./documents
COPY people ./people
RUN pip install --no-cache-dir .
COPY . .
# collectstatic needs settings but no secrets of its own.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
      --settings=archive.settings.production
RUN useradd --create-home archive
USER archive
EXPOSE 8000
# Workers, threads, timeouts and keep-alive: gunicorn.conf.py (read from /app).
ENV GUNICORN_BIND=0.0.0.0:8000
CMD ["gunicorn", "archive.wsgi"]
