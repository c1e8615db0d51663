#include "CodecGuards.h"
int cg_placeholder(void) { return 0; }
