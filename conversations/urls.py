from django.urls import path

from conversations.views import chat, stream

app_name = "conversations"

urlpatterns = [
    path("", chat.chat_home, name="home"),
    path("c/new/", chat.conversation_new, name="new"),
    path("c/<int:conversation_id>/", chat.conversation_detail, name="detail"),
    path("c/<int:conversation_id>/chrome/", chat.conversation_chrome, name="chrome"),
    path("c/<int:conversation_id>/messages/", chat.message_send, name="send"),
    path("c/<int:conversation_id>/messages/<int:message_id>/stream/", stream.message_stream, name="stream"),
]
