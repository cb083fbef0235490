/*
** testutil.c - running the CLI, temporary files, paths (see testutil.h).
*/
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *slurp_fd(int fd)
{
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        const ssize_t got = read(fd, buf + n, cap - n - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break;
        n += (size_t)got;
    }
    buf[n] = '\0';
    return buf;
}

cmd_result run_migdev(const char *cwd, const char *const *args)
{
    cmd_result res = {-1, NULL, NULL};
    char out_path[] = "/tmp/migdev_out_XXXXXX", err_path[] = "/tmp/migdev_err_XXXXXX";
    const int ofd = mkstemp(out_path), efd = mkstemp(err_path);
    ck_assert_msg(ofd >= 0 && efd >= 0, "mkstemp failed");
    const pid_t pid = fork();
    ck_assert_msg(pid >= 0, "fork failed");
    if (pid == 0) {
        dup2(ofd, 1);
        dup2(efd, 2);
        if (cwd && chdir(cwd) != 0)
            _exit(126);
        int n = 0;
        while (args[n])
            n++;
        char **argv = calloc((size_t)n + 2, sizeof *argv);
        argv[0] = (char *)MIGDEV_BIN;
        for (int i = 0; i < n; i++)
            argv[i + 1] = (char *)args[i];
        execv(MIGDEV_BIN, argv);
        _exit(127);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    res.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    lseek(ofd, 0, SEEK_SET);
    lseek(efd, 0, SEEK_SET);
    res.out = slurp_fd(ofd);
    res.err = slurp_fd(efd);
    close(ofd);
    close(efd);
    unlink(out_path);
    unlink(err_path);
    return res;
}

void cmd_result_free(cmd_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

char *tmp_dir(void)
{
    char tmpl[] = "/tmp/migdev_test_XXXXXX";
    char *d = mkdtemp(tmpl);
    ck_assert_msg(d != NULL, "mkdtemp failed");
    return strdup(d);
}

const char *tmp_file(int slot, const char *name, const char *text)
{
    static char paths[8][4096];
    ck_assert(slot >= 0 && slot < 8);
    char *d = tmp_dir();
    snprintf(paths[slot], sizeof paths[slot], "%s/%s", d, name);
    free(d);
    FILE *f = fopen(paths[slot], "w");
    ck_assert_msg(f != NULL, "cannot write %s", paths[slot]);
    fputs(text, f);
    fclose(f);
    return paths[slot];
}

static char *join(const char *a, const char *b)
{
    char *p = malloc(strlen(a) + strlen(b) + 2);
    sprintf(p, "%s/%s", a, b);
    return p;
}

char *source_path(const char *rel) { return join(MIGDEV_SOURCE_DIR, rel); }
char *shared_path(const char *rel) { return join(MIGDEV_SHARED_DIR, rel); }

int have_shared(void)
{
    struct stat st;
    return stat(MIGDEV_SHARED_DIR, &st) == 0 && S_ISDIR(st.st_mode);
}

char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    const int fd = fileno(f);
    char *s = slurp_fd(fd);
    fclose(f);
    return s;
}

char *tmp_dir_linking(const char *const *trees)
{
    char *dir = tmp_dir();
    for (int i = 0; trees[i]; i++) {
        char *src = source_path(trees[i]), *link = join(dir, trees[i]);
        ck_assert_msg(symlink(src, link) == 0, "cannot link %s", link);
        free(src);
        free(link);
    }
    return dir;
}

int have_program(const char *name)
{
    const char *path = getenv("PATH");
    if (!path)
        return 0;
    char *copy = strdup(path), *save = NULL;
    int found = 0;
    for (char *d = strtok_r(copy, ":", &save); d && !found; d = strtok_r(NULL, ":", &save)) {
        char *full = join(d, name);
        found = access(full, X_OK) == 0;
        free(full);
    }
    free(copy);
    return found;
}

int run_readme_commands(const char *heading, const char *dir, int (*skip)(const char *cmd))
{
    char *readme_path = source_path("README.md");
    char *readme = read_text(readme_path);
    ck_assert_msg(readme != NULL, "cannot read %s", readme_path);
    free(readme_path);
    char *sec = strstr(readme, heading);
    ck_assert_msg(sec != NULL, "no section '%s' in the README", heading);
    char *blk = strstr(sec, "```sh\n");
    ck_assert_ptr_nonnull(blk);
    blk += 6;
    char *end = strstr(blk, "```");
    ck_assert_ptr_nonnull(end);
    *end = '\0';
    int commands = 0;
    char cmd[2000] = "", *save_line = NULL;
    for (char *line = strtok_r(blk, "\n", &save_line); line;
         line = strtok_r(NULL, "\n", &save_line)) {
        char *hash = strstr(line, " #");
        if (hash)
            *hash = '\0';
        ck_assert(strlen(cmd) + strlen(line) < sizeof cmd);
        strcat(cmd, line);
        size_t len = strlen(cmd);
        while (len && cmd[len - 1] == ' ')
            cmd[--len] = '\0';
        if (len && cmd[len - 1] == '\\') { /* continued on the next line */
            cmd[len - 1] = ' ';
            continue;
        }
        ck_assert_msg(strncmp(cmd, "./build/migdev ", 15) == 0, "unexpected line: %s", cmd);
        commands++;
        if (!skip || !skip(cmd)) {
            char shown[sizeof cmd];
            snprintf(shown, sizeof shown, "%s", cmd + 15);
            const char *args[32];
            int n = 0;
            char *save = NULL;
            for (char *w = strtok_r(cmd + 15, " ", &save); w && n < 31; w = strtok_r(NULL, " ", &save))
                args[n++] = w;
            args[n] = NULL;
            cmd_result r = run_migdev(dir, args);
            ck_assert_msg(r.status == 0, "README command failed: %s: %s", shown, r.err);
            if (!strcmp(args[0], "check"))
                ck_assert_str_eq(r.out, "");
            cmd_result_free(&r);
        }
        cmd[0] = '\0';
    }
    free(readme);
    return commands;
}

migdev_model *load_model_text(const char *text)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load_string(text, "test.cfg", &err);
    if (!m) {
        char buf[1200];
        ck_abort_msg("model does not compile: %s", migdev_error_format(&err, buf, sizeof buf));
    }
    return m;
}

char *model_error(const char *text)
{
    migdev_error err;
    migdev_error_clear(&err);
    migdev_model *m = migdev_model_load_string(text, "test.cfg", &err);
    ck_assert_msg(m == NULL, "model compiled but was expected to fail");
    char buf[1200];
    return strdup(migdev_error_format(&err, buf, sizeof buf));
}

int run_suite(Suite *s)
{
    migdev_global_init();
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    const int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? 0 : 1;
}
