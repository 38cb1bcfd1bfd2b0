FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY . .
# Tesseract and its language models for OCR of scans (debian-packages.txt).
RUN apt-get update && apt-get install -y --no-install-recommends \
      $(grep -v '^#' debian-packages.txt) && rm -rf /var/lib/apt/lists/*
# The interface's translations, compiled (gettext is in debian-packages.txt): into the wheel.
RUN for po in archive/locale/*/LC_MESSAGES/*.po; do msgfmt --check -o "${po%.po}.mo" "$po"; done
# The whole project, installed as the wheel test builds it (tests/test_packaging.py).
RUN pip install --no-cache-dir .
# collectstatic needs settings but no secrets of its own.
RUN DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput \
      --settings=archive.settings.production
RUN useradd --create-home archive
# Uploaded scans, transcripts and translations (a volume in docker-compose.yml).
ENV ARCHIVE_MEDIA_ROOT=/var/lib/archive/media ARCHIVE_PAGE_IMAGES_DIR=/var/lib/archive/pages
RUN mkdir -p /var/lib/archive/media /var/lib/archive/pages \
      && chown archive /var/lib/archive/media /var/lib/archive/pages
USER archive
EXPOSE 8000
# Workers, threads, timeouts and keep-alive: gunicorn.conf.py (read from /app).
ENV GUNICORN_BIND=0.0.0.0:8000
CMD ["gunicorn", "archive.wsgi"]
