// The kernels live in the header as static inline functions; this file keeps the target non-empty.
#include "CKernelSupport.h"
