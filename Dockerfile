FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY . .
# The whole project, installed as the wheel test builds it (tests/test_packaging.py).
RUN pip install --no-cache-dir .
# collectstatic needs settings but no secrets of its own.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
      --settings=archive.settings.production
RUN useradd --create-home archive
# Uploaded scans, transcripts and translations (a volume in docker-compose.yml).
ENV ARCHIVE_MEDIA_ROOT=/var/lib/archive/media
RUN mkdir -p /var/lib/archive/media && chown archive /var/lib/archive/media
USER archive
EXPOSE 8000
# Workers, threads, timeouts and keep-alive: gunicorn.conf.py (read from /app).
ENV GUNICORN_BIND=0.0.0.0:8000
CMD ["gunicorn", "archive.wsgi"]
