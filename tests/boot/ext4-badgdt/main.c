/* Boot test ext4-badgdt: ext4-bad with a damaged group descriptor. */
#define NAME "ext4-badgdt"
#include "../ext4-bad/main.c"
