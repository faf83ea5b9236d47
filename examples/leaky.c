/* leaky.c — a program with memory leaks, for MEMKIT_LEAKS=1 and memcheck.
 *
 *   build/leaky            (dynamically linked, -rdynamic; docs/preload.md)
 *
 * Builds a list of five nodes and frees only the list head's own memory
 * (the classic leak: the nodes behind it are lost), copies a name with
 * strdup and forgets it, and allocates and frees one buffer properly.
 * Run with the kit's allocator and MEMKIT_LEAKS=1, the library reports
 * the six blocks still allocated at exit and which function allocated
 * each; valgrind's memcheck (natively) finds the same ones, and
 * tools/leaks-compare (make leaks-compare) puts the two side by side.
 *
 * -rdynamic (mk/topics.mk) puts make_node, save_name and main into the
 * dynamic symbol table, so dladdr(3), and so the report, can name them.
 * noinline keeps each a function of its own at -O2.
 *
 * Output: "list of 5 nodes, sum 15" and "name: Fredrick". Exit status 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
    int value;
    struct node *next;
};

struct list {
    struct node *head;
    int count;
};

__attribute__((noinline)) struct node *make_node(int value, struct node *next)
{
    struct node *n = malloc(sizeof *n);
    if (!n)
        exit(1);
    n->value = value;
    n->next = next;
    return n;
}

__attribute__((noinline)) char *save_name(const char *name)
{
    return strdup(name);
}

int main(void)
{
    struct list *l = malloc(sizeof *l);
    char *buf, *name;
    int i, sum = 0;
    struct node *n;

    if (!l)
        return 1;
    l->head = NULL;
    l->count = 0;
    for (i = 5; i >= 1; i--) {
        l->head = make_node(i, l->head);
        l->count++;
    }
    for (n = l->head; n; n = n->next)
        sum += n->value;
    printf("list of %d nodes, sum %d\n", l->count, sum);
    free(l);                    /* the leak: its nodes are never freed */

    name = save_name("Fredrick");   /* never freed either */
    printf("name: %s\n", name);

    buf = malloc(100);          /* freed: not a leak */
    free(buf);
    return 0;
}
