/* server.h: the FastCGI responder: supervisor, workers, thread pools */
#ifndef PALAVER_SERVER_H
#define PALAVER_SERVER_H

struct config;
struct req;
struct resp;

/*
 * server_run: serve until SIGTERM or SIGINT, then finish requests in
 * flight and return 0.  The socket is `sock` (-s) when given, else one
 * inherited from systemd (LISTEN_FDS) or on fd 0 (spawn-fcgi), else
 * [server] socket.  Started as root, it drops to [server] user once the
 * socket is bound (and refuses to go on without one).  prepare() then runs
 * as that user (migrations) before workers start.  Each request goes to
 * dispatch (the web layer's routes).  Start-up failures are logged and
 * return 1.
 */
int	server_run(const struct config *, const char *sock,
	    int (*prepare)(const struct config *),
	    void (*dispatch)(struct req *, struct resp *));

#endif
