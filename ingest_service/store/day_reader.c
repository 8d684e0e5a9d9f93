/* A rowid range of the click table read into one Arrow struct array (the Arrow C data
 * interface), each column built with the type the contract gives it.
 *
 * Reading the store is most of an export's time. A generic driver learns each column's
 * type from the values and fetches every value through SQLite's column API, with the
 * connection's mutex taken and released around each call: that API alone cost more than
 * SQLite's own stepping through the rows. Here the query hands each row to an aggregate
 * function, `clicks_to_arrow(rowid, column, ...)`, which appends the values straight to
 * Arrow buffers of the known types; the connection is one thread's at a time (no mutex).
 *
 * Kinds, one letter a column: s text, i int32, f float64, b boolean (0/1),
 * t timestamp (int64 microseconds), d day (ISO text, to days since the epoch).
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ERROR_SIZE 512

struct ArrowArray {
    int64_t length;
    int64_t null_count;
    int64_t offset;
    int64_t n_buffers;
    int64_t n_children;
    const void **buffers;
    struct ArrowArray **children;
    struct ArrowArray *dictionary;
    void (*release)(struct ArrowArray *);
    void *private_data;
};

typedef struct {
    char kind;
    uint8_t *validity;
    int32_t *offsets; /* text only */
    uint8_t *data;
    int64_t data_used, data_capacity; /* bytes; text only */
    int64_t null_count;
    const void *buffers[3];
} Column;

/* A batch being built; once exported, it owns all its struct array points at. */
typedef struct {
    int64_t n_columns, rows, max_rows, last_rowid;
    Column *columns;
    struct ArrowArray *children;
    struct ArrowArray **child_pointers;
    const void *buffers[1];
} Batch;

typedef struct {
    sqlite3 *db;
    Batch *batch; /* the one `clicks_to_arrow` appends to while a read runs */
    char error[ERROR_SIZE];
} Reader;

static void batch_free(Batch *batch) {
    if (batch == NULL)
        return;
    for (int64_t c = 0; batch->columns != NULL && c < batch->n_columns; c++) {
        free(batch->columns[c].validity);
        free(batch->columns[c].offsets);
        free(batch->columns[c].data);
    }
    free(batch->columns);
    free(batch->children);
    free(batch->child_pointers);
    free(batch);
}

/* Bytes a value of a fixed-width kind takes; booleans are bits. */
static size_t value_bytes(char kind) {
    switch (kind) {
    case 'i':
    case 'd':
        return 4;
    case 'f':
    case 't':
        return 8;
    default:
        return 0;
    }
}

static Batch *batch_new(const char *kinds, int64_t max_rows) {
    const int64_t n_columns = (int64_t)strlen(kinds);
    Batch *batch = calloc(1, sizeof(Batch));
    if (batch == NULL)
        return NULL;
    *batch = (Batch){.n_columns = n_columns, .max_rows = max_rows, .last_rowid = INT64_MIN};
    batch->columns = calloc((size_t)n_columns, sizeof(Column));
    batch->children = calloc((size_t)n_columns, sizeof(struct ArrowArray));
    batch->child_pointers = calloc((size_t)n_columns, sizeof(struct ArrowArray *));
    if (batch->columns == NULL || batch->children == NULL || batch->child_pointers == NULL) {
        batch_free(batch);
        return NULL;
    }
    const size_t bitmap_bytes = (size_t)max_rows / 8 + 1;
    for (int64_t c = 0; c < n_columns; c++) {
        Column *column = &batch->columns[c];
        column->kind = kinds[c];
        column->validity = calloc(bitmap_bytes, 1);
        if (column->kind == 's') {
            column->offsets = calloc((size_t)max_rows + 1, sizeof(int32_t));
            column->data_capacity = 16 * (max_rows + 1);
            column->data = malloc((size_t)column->data_capacity);
        } else {
            const size_t width = value_bytes(column->kind);
            column->data = width ? calloc((size_t)max_rows, width) : calloc(bitmap_bytes, 1);
        }
        if (column->validity == NULL || column->data == NULL ||
            (column->kind == 's' && column->offsets == NULL)) {
            batch_free(batch);
            return NULL;
        }
    }
    return batch;
}

static void release_child(struct ArrowArray *array) { array->release = NULL; }

static void release_batch(struct ArrowArray *array) {
    batch_free(array->private_data);
    array->release = NULL;
}

static void batch_export(Batch *batch, struct ArrowArray *out) {
    for (int64_t c = 0; c < batch->n_columns; c++) {
        Column *column = &batch->columns[c];
        column->buffers[0] = column->null_count ? column->validity : NULL;
        column->buffers[1] = column->kind == 's' ? (void *)column->offsets : column->data;
        column->buffers[2] = column->data;
        batch->children[c] = (struct ArrowArray){
            .length = batch->rows,
            .null_count = column->null_count,
            .n_buffers = column->kind == 's' ? 3 : 2,
            .buffers = column->buffers,
            .release = release_child,
        };
        batch->child_pointers[c] = &batch->children[c];
    }
    *out = (struct ArrowArray){
        .length = batch->rows,
        .n_buffers = 1,
        .n_children = batch->n_columns,
        .buffers = batch->buffers,
        .children = batch->child_pointers,
        .release = release_batch,
        .private_data = batch,
    };
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static int32_t days_from_civil(int y, int m, int d) {
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int digits(const unsigned char *text, int count) {
    int value = 0;
    for (int k = 0; k < count; k++) {
        if (text[k] < '0' || text[k] > '9')
            return -1;
        value = value * 10 + (text[k] - '0');
    }
    return value;
}

/* YYYY-MM-DD, as the store keeps the day. */
static int parse_day(const unsigned char *text, int bytes, int32_t *out) {
    if (bytes != 10 || text[4] != '-' || text[7] != '-')
        return -1;
    const int y = digits(text, 4), m = digits(text + 5, 2), d = digits(text + 8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31)
        return -1;
    *out = days_from_civil(y, m, d);
    return 0;
}

static int append_text(Column *column, int64_t row, sqlite3_value *value) {
    /* The blob accessor gives a text's bytes as stored, without adding a terminator. */
    const void *text = sqlite3_value_blob(value);
    const int64_t bytes = sqlite3_value_bytes(value);
    const int64_t needed = column->data_used + bytes;
    if (needed > INT32_MAX)
        return -1;
    if (needed > column->data_capacity) {
        int64_t capacity = column->data_capacity * 2;
        while (capacity < needed)
            capacity *= 2;
        uint8_t *grown = realloc(column->data, (size_t)capacity);
        if (grown == NULL)
            return -1;
        column->data = grown;
        column->data_capacity = capacity;
    }
    if (bytes)
        memcpy(column->data + column->data_used, text, (size_t)bytes);
    column->data_used = needed;
    column->offsets[row + 1] = (int32_t)needed;
    return 0;
}

/* 0 when the value fits its column's kind, which it is appended to. */
static int append_value(Column *column, int64_t row, sqlite3_value *value) {
    const int type = sqlite3_value_type(value);
    if (type == SQLITE_NULL) {
        column->null_count++;
        if (column->kind == 's')
            column->offsets[row + 1] = (int32_t)column->data_used;
        return 0;
    }
    column->validity[row >> 3] |= (uint8_t)(1u << (row & 7));
    switch (column->kind) {
    case 's':
        return type == SQLITE_TEXT ? append_text(column, row, value) : -1;
    case 'i': {
        const int64_t number = sqlite3_value_int64(value);
        if (type != SQLITE_INTEGER || number < INT32_MIN || number > INT32_MAX)
            return -1;
        ((int32_t *)column->data)[row] = (int32_t)number;
        return 0;
    }
    case 't':
        if (type != SQLITE_INTEGER)
            return -1;
        ((int64_t *)column->data)[row] = sqlite3_value_int64(value);
        return 0;
    case 'b':
        if (type != SQLITE_INTEGER)
            return -1;
        if (sqlite3_value_int64(value))
            column->data[row >> 3] |= (uint8_t)(1u << (row & 7));
        return 0;
    case 'f':
        if (type != SQLITE_FLOAT && type != SQLITE_INTEGER)
            return -1;
        ((double *)column->data)[row] = sqlite3_value_double(value);
        return 0;
    case 'd':
        if (type != SQLITE_TEXT)
            return -1;
        return parse_day(sqlite3_value_blob(value), sqlite3_value_bytes(value),
                         &((int32_t *)column->data)[row]);
    default:
        return -1;
    }
}

/* The aggregate's step: one row, its rowid first, appended to the reader's batch. */
static void clicks_to_arrow_step(sqlite3_context *context, int argc, sqlite3_value **argv) {
    Reader *reader = sqlite3_user_data(context);
    Batch *batch = reader->batch;
    char message[ERROR_SIZE];
    if (batch == NULL || argc != batch->n_columns + 1) {
        sqlite3_result_error(context, "clicks_to_arrow: one rowid and one value a kind", -1);
        return;
    }
    /* Appended in the order SQLite scans: rowid order, which is checked, not assumed. */
    const int64_t rowid = sqlite3_value_int64(argv[0]);
    if (rowid <= batch->last_rowid || batch->rows == batch->max_rows) {
        sqlite3_result_error(context, "clicks_to_arrow: rows out of rowid order or too many",
                             -1);
        return;
    }
    batch->last_rowid = rowid;
    for (int64_t c = 0; c < batch->n_columns; c++) {
        if (append_value(&batch->columns[c], batch->rows, argv[c + 1]) != 0) {
            snprintf(message, sizeof message,
                     "clicks_to_arrow: rowid %lld, column %lld: a stored value of SQLite type "
                     "%d does not fit kind '%c' (or memory ran out)",
                     (long long)rowid, (long long)c + 1, sqlite3_value_type(argv[c + 1]),
                     batch->columns[c].kind);
            sqlite3_result_error(context, message, -1);
            return;
        }
    }
    batch->rows++;
}

static void clicks_to_arrow_final(sqlite3_context *context) { sqlite3_result_null(context); }

/* A read-only connection for one thread at a time; NULL with `error` set on failure. */
Reader *day_reader_open(const char *path, int busy_timeout_ms, char *error) {
    Reader *reader = calloc(1, sizeof(Reader));
    if (reader == NULL) {
        snprintf(error, ERROR_SIZE, "out of memory");
        return NULL;
    }
    const int flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    if (sqlite3_open_v2(path, &reader->db, flags, NULL) != SQLITE_OK ||
        sqlite3_busy_timeout(reader->db, busy_timeout_ms) != SQLITE_OK ||
        sqlite3_create_function(reader->db, "clicks_to_arrow", -1, SQLITE_UTF8, reader, NULL,
                                clicks_to_arrow_step, clicks_to_arrow_final) != SQLITE_OK) {
        snprintf(error, ERROR_SIZE, "%s",
                 reader->db ? sqlite3_errmsg(reader->db) : "out of memory");
        sqlite3_close(reader->db);
        free(reader);
        return NULL;
    }
    return reader;
}

void day_reader_close(Reader *reader) {
    sqlite3_close(reader->db);
    free(reader);
}

const char *day_reader_error(Reader *reader) { return reader->error; }

/* Runs `sql`, whose one result is `clicks_to_arrow(rowid, ...)` over the rows it selects
 * with its parameters (day, low rowid, high rowid), at most `max_rows` of them, into `out`:
 * their count, or -1 with the reader's error set. */
int64_t day_reader_read(Reader *reader, const char *sql, const char *day, int64_t low,
                        int64_t high, const char *kinds, int64_t max_rows,
                        struct ArrowArray *out) {
    sqlite3_stmt *statement = NULL;
    reader->batch = batch_new(kinds, max_rows);
    if (reader->batch == NULL) {
        snprintf(reader->error, ERROR_SIZE, "out of memory");
        return -1;
    }
    int status = sqlite3_prepare_v2(reader->db, sql, -1, &statement, NULL);
    if (status == SQLITE_OK) {
        sqlite3_bind_text(statement, 1, day, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int64(statement, 2, low);
        sqlite3_bind_int64(statement, 3, high);
        while ((status = sqlite3_step(statement)) == SQLITE_ROW)
            ;
    }
    if (status != SQLITE_DONE)
        snprintf(reader->error, ERROR_SIZE, "%s", sqlite3_errmsg(reader->db));
    sqlite3_finalize(statement);
    Batch *batch = reader->batch;
    reader->batch = NULL;
    if (status != SQLITE_DONE) {
        batch_free(batch);
        return -1;
    }
    const int64_t rows = batch->rows;
    batch_export(batch, out);
    return rows;
}
