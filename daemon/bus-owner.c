/* virtuned — owning the well-known bus name across connection renewals (bus-owner.h
 * says why). Everything here runs in the main thread but the size watch, a connection
 * filter in GDBus's worker thread, which only asks the main loop for a renewal. */
#include "bus-owner.h"

#define DBUS_NAME "org.freedesktop.DBus"
#define DBUS_PATH "/org/freedesktop/DBus"
/* RequestName flags and answers (D-Bus specification). */
#define NAME_FLAG_DO_NOT_QUEUE 4u
#define NAME_REPLY_PRIMARY_OWNER 1u
#define NAME_REPLY_IN_QUEUE 2u
#define NAME_REPLY_EXISTS 3u
/* The bound on each synchronous round trip a renewal makes. */
#define RENEW_CALL_TIMEOUT_MS 5000

/* Filter data of one connection's size watch. Reference-counted: GDBus may run a
 * filter after it was removed, and a renewal request may outlive the connection. */
typedef struct {
  gint pending;             /* atomic: a request from this connection is queued */
  guint generation;         /* which connection (VtBusOwner.generation when opened) */
  VtBusOwner **owner;       /* shared box; *owner is NULL once the owner is freed */
} SizeWatch;

typedef struct {
  VtBusOwner *owner;
  GDBusConnection *bus;
  guint generation;
  guint size_filter;
  guint screen_filter;
  gulong closed_handler;
  guint grace_source;       /* replaced: the grace period runs */
  guint drain_source;       /* replaced: the last routed call is dispatched */
  GCancellable *cancellable;
  gboolean graced;
  gboolean drained;
} Link;

struct VtBusOwner {
  VtBusOwnerSetup setup;
  char *name;
  char *path;
  char *address;
  VtBusOwner **self;        /* the box SizeWatch reads; an atomic rc box */
  Link *current;
  GPtrArray *retiring;      /* Link *: replaced, serving out their grace period */
  guint generation;
  gint64 last_renewal;      /* monotonic µs */
  guint deferred_renewal;
  guint start_source;
  gboolean released;
};

/* --- the size watch (worker thread) -------------------------------------------------- */

static void
size_watch_clear (gpointer data)
{
  SizeWatch *watch = data;

  g_atomic_rc_box_release (watch->owner);
}

static void
size_watch_unref (gpointer data)
{
  g_atomic_rc_box_release_full (data, size_watch_clear);
}

static void renew_later (VtBusOwner *owner);

/* Main thread: renew when the large message came on the connection that owns the name;
 * a replaced one goes at the end of its grace period anyway. */
static gboolean
on_renew_request (gpointer data)
{
  SizeWatch *watch = data;
  VtBusOwner *owner = *watch->owner;

  g_atomic_int_set (&watch->pending, 0);
  if (owner != NULL && owner->current != NULL
      && owner->current->generation == watch->generation)
    renew_later (owner);
  return G_SOURCE_REMOVE;
}

static GDBusMessage *
watch_size (GDBusConnection *bus, GDBusMessage *message, gboolean incoming,
            gpointer user_data)
{
  SizeWatch *watch = user_data;
  GVariant *body = g_dbus_message_get_body (message);

  if (!incoming || body == NULL || g_variant_get_size (body) <= VT_BUS_RENEW_MESSAGE_BYTES)
    return message;
  if (g_atomic_int_compare_and_exchange (&watch->pending, 0, 1))
    g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, on_renew_request,
                                g_atomic_rc_box_acquire (watch), size_watch_unref);
  return message;
}

/* --- one connection ------------------------------------------------------------------ */

static void
link_free (Link *link)
{
  if (link == NULL)
    return;
  g_clear_handle_id (&link->grace_source, g_source_remove);
  g_clear_handle_id (&link->drain_source, g_source_remove);
  g_cancellable_cancel (link->cancellable);
  g_clear_object (&link->cancellable);
  g_clear_signal_handler (&link->closed_handler, link->bus);
  if (g_dbus_interface_skeleton_has_connection (link->owner->setup.object, link->bus))
    g_dbus_interface_skeleton_unexport_from_connection (link->owner->setup.object,
                                                        link->bus);
  /* Our references go; calls still in flight on it keep it open until they answer. */
  g_object_unref (link->bus);
  g_free (link);
}

/* A replaced connection at the end of its grace period: nothing reaches us there any
 * more (filters off), and it closes once its last call in flight has answered. */
static void
link_retire (Link *link)
{
  g_dbus_connection_remove_filter (link->bus, link->screen_filter);
  g_dbus_connection_remove_filter (link->bus, link->size_filter);
  link_free (link);
}

static void
on_link_closed (GDBusConnection *bus, gboolean vanished, GError *error, gpointer user_data)
{
  Link *link = user_data;
  VtBusOwner *owner = link->owner;
  g_autofree char *why = NULL;

  if (link != owner->current || owner->released)
    return;
  why = g_strdup_printf ("lost the connection to the bus%s%s", error ? ": " : "",
                         error ? error->message : "");
  owner->setup.callbacks.lost (why, owner->setup.user_data);
}

static void
link_install_filters (VtBusOwner *owner, Link *link)
{
  SizeWatch *watch = g_atomic_rc_box_new0 (SizeWatch);

  watch->generation = link->generation;
  watch->owner = g_atomic_rc_box_acquire (owner->self);
  /* The size watch runs first: the screen filter may consume the message. */
  link->size_filter = g_dbus_connection_add_filter (link->bus, watch_size, watch,
                                                    size_watch_unref);
  link->screen_filter = g_dbus_connection_add_filter (
      link->bus, owner->setup.filter, owner->setup.filter_data_ref (owner->setup.filter_data),
      owner->setup.filter_data_unref);
}

static Link *
link_open (VtBusOwner *owner, GError **error)
{
  g_autoptr (GDBusConnection) bus = NULL;
  Link *link;

  bus = g_dbus_connection_new_for_address_sync (
      owner->address,
      G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
        | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
      NULL, NULL, error);
  if (bus == NULL)
    return NULL;
  link = g_new0 (Link, 1);
  link->owner = owner;
  link->bus = g_steal_pointer (&bus);
  link->generation = ++owner->generation;
  link->cancellable = g_cancellable_new ();
  link_install_filters (owner, link);
  link->closed_handler = g_signal_connect (link->bus, "closed", G_CALLBACK (on_link_closed),
                                           link);
  if (!g_dbus_interface_skeleton_export (owner->setup.object, link->bus, owner->path, error))
    {
      link_retire (link);
      return NULL;
    }
  return link;
}

/* --- the name ------------------------------------------------------------------------ */

static GVariant *
call_bus (GDBusConnection *bus, const char *method, GVariant *args, const char *reply_type,
          GError **error)
{
  return g_dbus_connection_call_sync (bus, DBUS_NAME, DBUS_PATH, DBUS_NAME, method, args,
                                      G_VARIANT_TYPE (reply_type), G_DBUS_CALL_FLAGS_NONE,
                                      RENEW_CALL_TIMEOUT_MS, NULL, error);
}

static gboolean
request_name (VtBusOwner *owner, Link *link, guint32 flags, guint32 *answer, GError **error)
{
  g_autoptr (GVariant) reply = call_bus (link->bus, "RequestName",
                                         g_variant_new ("(su)", owner->name, flags), "(u)",
                                         error);

  if (reply == NULL)
    return FALSE;
  g_variant_get (reply, "(u)", answer);
  return TRUE;
}

static void
release_name (VtBusOwner *owner, Link *link)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = NULL;

  if (link == NULL || g_dbus_connection_is_closed (link->bus))
    return;
  reply = call_bus (link->bus, "ReleaseName", g_variant_new ("(s)", owner->name), "(u)",
                    &error);
  if (reply == NULL)
    g_warning ("cannot release the bus name %s: %s", owner->name, error->message);
}

/* Whether @link's connection owns the name now. */
static gboolean
link_owns_name (VtBusOwner *owner, Link *link)
{
  g_autoptr (GVariant) reply = call_bus (link->bus, "GetNameOwner",
                                         g_variant_new ("(s)", owner->name), "(s)", NULL);
  const char *unique = NULL;

  if (reply == NULL)
    return FALSE;
  g_variant_get (reply, "(&s)", &unique);
  return g_strcmp0 (unique, g_dbus_connection_get_unique_name (link->bus)) == 0;
}

/* --- start --------------------------------------------------------------------------- */

static void
start_failed (VtBusOwner *owner, const char *why)
{
  owner->setup.callbacks.lost (why, owner->setup.user_data);
}

static gboolean
start_in_loop (gpointer user_data)
{
  VtBusOwner *owner = user_data;
  const char *bus_name = owner->setup.bus_type == G_BUS_TYPE_SESSION ? "session" : "system";
  g_autoptr (GError) error = NULL;
  g_autofree char *why = NULL;
  guint32 answer = 0;

  owner->start_source = 0;
  owner->address = g_dbus_address_get_for_bus_sync (owner->setup.bus_type, NULL, &error);
  if (owner->address != NULL)
    owner->current = link_open (owner, &error);
  if (owner->current != NULL)
    request_name (owner, owner->current, NAME_FLAG_DO_NOT_QUEUE, &answer, &error);
  if (answer == NAME_REPLY_PRIMARY_OWNER)
    owner->setup.callbacks.acquired (owner->name, owner->setup.user_data);
  else if (answer == NAME_REPLY_EXISTS)
    why = g_strdup_printf ("the bus name %s is already taken (is another virtuned running?)",
                           owner->name);
  else
    why = g_strdup_printf ("cannot own %s on the %s bus: %s", owner->name, bus_name,
                           error ? error->message : "unexpected answer to RequestName");
  if (why != NULL)
    start_failed (owner, why);
  return G_SOURCE_REMOVE;
}

VtBusOwner *
vt_bus_owner_start (const VtBusOwnerSetup *setup)
{
  VtBusOwner *owner = g_new0 (VtBusOwner, 1);

  owner->setup = *setup;
  owner->name = g_strdup (setup->name);
  owner->path = g_strdup (setup->path);
  owner->setup.name = owner->name;
  owner->setup.path = owner->path;
  owner->setup.object = g_object_ref (setup->object);
  owner->self = g_atomic_rc_box_new0 (VtBusOwner *);
  *owner->self = owner;
  owner->retiring = g_ptr_array_new_with_free_func ((GDestroyNotify) link_free);
  owner->start_source = g_idle_add (start_in_loop, owner);
  return owner;
}

/* --- renewal ------------------------------------------------------------------------- */

static void
retire_when_done (Link *link)
{
  VtBusOwner *owner = link->owner;
  guint index;

  if (!link->graced || !link->drained)
    return;
  if (g_ptr_array_find (owner->retiring, link, &index))
    g_ptr_array_steal_index_fast (owner->retiring, index);
  link_retire (link);
}

static gboolean
grace_over (gpointer user_data)
{
  Link *link = user_data;

  link->grace_source = 0;
  link->graced = TRUE;
  retire_when_done (link);
  return G_SOURCE_REMOVE;
}

/* At low priority: after every call queued on the main loop before it was dispatched. */
static gboolean
drained (gpointer user_data)
{
  Link *link = user_data;

  link->drain_source = 0;
  link->drained = TRUE;
  retire_when_done (link);
  return G_SOURCE_REMOVE;
}

static void
on_drain_barrier (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source),
                                                              result, &error);
  Link *link = user_data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  link->drain_source = g_idle_add_full (G_PRIORITY_LOW, drained, link, NULL);
}

/* A replaced connection goes once (a) the grace period is over: a client that resolved
 * the name to its unique name just before the handover still reaches us there; and
 * (b) every call the bus routed to it by name before the release was read (a round trip
 * after the release: the bus sends in order) and dispatched (a low-priority idle after
 * it). Calls in flight keep it open until they answered. */
static void
retire_later (VtBusOwner *owner, Link *link)
{
  g_ptr_array_add (owner->retiring, link);
  link->grace_source = g_timeout_add (VT_BUS_RETIRE_GRACE_MS, grace_over, link);
  g_dbus_connection_call (link->bus, DBUS_NAME, DBUS_PATH, DBUS_NAME, "GetId", NULL,
                          G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          link->cancellable, on_drain_barrier, link);
}

/* Opens a new connection, queues it for the name, releases the name on the current one
 * (the bus hands it to the next in the queue: ours) and checks it did. A few local round
 * trips; on any failure the current connection simply stays. */
static void
renew_now (VtBusOwner *owner)
{
  g_autoptr (GError) error = NULL;
  Link *previous = owner->current;
  Link *next = link_open (owner, &error);
  guint32 answer = 0;

  owner->last_renewal = g_get_monotonic_time ();
  if (next != NULL && !request_name (owner, next, 0, &answer, &error))
    g_clear_pointer (&next, link_retire);
  if (next != NULL && answer != NAME_REPLY_IN_QUEUE && answer != NAME_REPLY_PRIMARY_OWNER)
    {
      g_set_error (&error, G_DBUS_ERROR, G_DBUS_ERROR_FAILED, "RequestName answered %u",
                   answer);
      g_clear_pointer (&next, link_retire);
    }
  if (next == NULL)
    {
      g_warning ("cannot renew the bus connection (it keeps its large read buffer): %s",
                 error->message);
      return;
    }
  release_name (owner, previous);
  owner->current = next;
  retire_later (owner, previous);
  if (!link_owns_name (owner, next))
    {
      owner->setup.callbacks.lost ("the bus name went to another process while the "
                                   "connection was renewed", owner->setup.user_data);
      return;
    }
  g_info ("bus connection renewed after a message over %d bytes (%s replaces %s)",
          VT_BUS_RENEW_MESSAGE_BYTES, g_dbus_connection_get_unique_name (next->bus),
          g_dbus_connection_get_unique_name (previous->bus));
}

static gboolean
deferred_renewal_in_loop (gpointer user_data)
{
  VtBusOwner *owner = user_data;

  owner->deferred_renewal = 0;
  if (!owner->released)
    renew_now (owner);
  return G_SOURCE_REMOVE;
}

/* At most one renewal per grace period, so a flood of large calls keeps at most two
 * large buffers (the current connection's and the one being retired). */
static void
renew_later (VtBusOwner *owner)
{
  gint64 since_ms = (g_get_monotonic_time () - owner->last_renewal) / 1000;

  if (owner->released || owner->deferred_renewal != 0)
    return;
  if (owner->last_renewal == 0 || since_ms >= VT_BUS_RETIRE_GRACE_MS)
    {
      renew_now (owner);
      return;
    }
  owner->deferred_renewal = g_timeout_add ((guint) (VT_BUS_RETIRE_GRACE_MS - since_ms),
                                           deferred_renewal_in_loop, owner);
}

/* --- stop ---------------------------------------------------------------------------- */

void
vt_bus_owner_release (VtBusOwner *owner)
{
  if (owner->released)
    return;
  owner->released = TRUE;
  g_clear_handle_id (&owner->deferred_renewal, g_source_remove);
  g_clear_handle_id (&owner->start_source, g_source_remove);
  release_name (owner, owner->current);
}

typedef struct {
  guint left;
  GSourceFunc done;
  gpointer done_data;
} Barrier;

static void
on_barrier_reply (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Barrier *barrier = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source),
                                                              result, &error);

  if (reply == NULL)
    g_warning ("cannot make sure every queued call was answered: %s", error->message);
  if (--barrier->left > 0)
    return;
  barrier->done (barrier->done_data);
  g_free (barrier);
}

static void
barrier_send (Barrier *barrier, Link *link, guint timeout_ms)
{
  if (link == NULL || g_dbus_connection_is_closed (link->bus))
    return;
  barrier->left++;
  g_dbus_connection_call (link->bus, DBUS_NAME, DBUS_PATH, DBUS_NAME, "GetId", NULL,
                          G_VARIANT_TYPE ("(s)"), G_DBUS_CALL_FLAGS_NONE, (int) timeout_ms,
                          NULL, on_barrier_reply, barrier);
}

gboolean
vt_bus_owner_barrier (VtBusOwner *owner, guint timeout_ms, GSourceFunc done,
                      gpointer done_data)
{
  Barrier *barrier = g_new0 (Barrier, 1);

  barrier->done = done;
  barrier->done_data = done_data;
  barrier_send (barrier, owner->current, timeout_ms);
  for (guint i = 0; i < owner->retiring->len; i++)
    barrier_send (barrier, g_ptr_array_index (owner->retiring, i), timeout_ms);
  if (barrier->left > 0)
    return TRUE;
  g_free (barrier);
  return FALSE;
}

/* --- teardown ------------------------------------------------------------------------ */

static void
link_flush_and_free (Link *link)
{
  if (link == NULL)
    return;
  g_dbus_connection_flush_sync (link->bus, NULL, NULL);
  /* The filters stay: they keep answering until the process exits (daemon.c). */
  link_free (link);
}

void
vt_bus_owner_free (VtBusOwner *owner)
{
  if (owner == NULL)
    return;
  vt_bus_owner_release (owner);
  *owner->self = NULL;
  g_atomic_rc_box_release (owner->self);
  g_ptr_array_set_free_func (owner->retiring, (GDestroyNotify) link_flush_and_free);
  g_ptr_array_unref (owner->retiring);
  link_flush_and_free (owner->current);
  g_object_unref (owner->setup.object);
  g_free (owner->address);
  g_free (owner->path);
  g_free (owner->name);
  g_free (owner);
}
