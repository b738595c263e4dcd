"""Identity of the application: one reverse-DNS id used for the desktop file, settings and icons."""

APP_ID = "io.github.igfcoach.IGFCoach"
APP_NAME = "IGF Coach"
APP_SLUG = "igfcoach"
ORG_NAME = "IGF Coach"
